/** The emulator's clock: real time by default, movable by tests and accelerated scenarios. */
export interface EmulatorClock {
  /** Epoch milliseconds on the emulator's timeline. */
  now(): number;
  /** Moves the clock forward by `ms` (never backward). */
  advance(ms: number): void;
  /** Runs emulator time `factor` times faster than real time from now on (1 = real time). */
  setSpeed(factor: number): void;
  readonly speed: number;
}

/** Creates a clock starting at `start` (default: the real time now). `realNow` is injectable for tests. */
export function createEmulatorClock(
  options: { start?: number; speed?: number; realNow?: () => number } = {},
): EmulatorClock {
  const realNow = options.realNow ?? Date.now;
  let anchorReal = realNow();
  let anchorEmulated = options.start ?? anchorReal;
  let speed = options.speed ?? 1;
  const now = () => anchorEmulated + (realNow() - anchorReal) * speed;
  return {
    now,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('advance(ms) needs a non-negative number of milliseconds');
      anchorEmulated = now() + ms;
      anchorReal = realNow();
    },
    setSpeed(factor) {
      if (!(factor > 0)) throw new RangeError('speed must be a positive number');
      anchorEmulated = now();
      anchorReal = realNow();
      speed = factor;
    },
    get speed() {
      return speed;
    },
  };
}
