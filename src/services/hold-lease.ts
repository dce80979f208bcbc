/**
 * Keeps a lease in the database alive while work runs: every `everyMs` of real time it asks `renew` to
 * move the lease from where it ends now to `leaseMs` ahead of the monitor's clock. A worker that dies
 * stops renewing, so others can take the work over within one lease rather than after the longest the
 * work could take. A lease found lost stops the renewals; the work itself finishes (it is idempotent).
 */
export function holdLease(options: {
  /** Where the lease ends now (as claimed). */
  until: Date;
  leaseMs: number;
  /** @default 500 (short, so a lease measured on an accelerated clock still outlives several renewals) */
  everyMs?: number;
  now: () => number;
  /** Moves the lease from `held` to `next` if this holder still has it; false when it lost it. */
  renew: (held: Date, next: Date) => Promise<boolean>;
}) {
  let until = options.until;
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const next = new Date(options.now() + options.leaseMs);
    pending = options
      .renew(until, next)
      .then((held) => {
        if (held) until = next;
        else clearInterval(timer);
      })
      .catch(() => {}); // the database is away: the next renewal tries again
  }, options.everyMs ?? 500);
  return {
    /** Stops renewing, once a renewal in flight has landed. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await pending;
    },
  };
}
