import { applyStateFault, clearFaults, isRequestFault } from './faults.ts';
import { randomToken } from './ids.ts';
import { grantConsent } from './portal.ts';
import { zoneOffset } from './routes/report.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';
import type { EmulatorRuntime } from './server.ts';

/** How a step went. */
export interface StepReport {
  at: number;
  do: string;
  note?: string;
  status: 'pending' | 'waiting' | 'done' | 'failed';
  ranAt?: string;
  result?: unknown;
  error?: string;
}

/** A scenario running on the emulator clock. */
export interface ScenarioRun {
  name: string;
  description: string;
  startedAt: number;
  steps: StepReport[];
  /** Runs every step that is due; called on a short timer and after the clock moves. */
  tick(): void;
  stop(): void;
  /** Resolves when every step has run (or failed). */
  finished: Promise<void>;
}

/**
 * Replaces placeholders so scenario files need no ids: `$production` and `$sandbox` (the first app of
 * that environment), `$advertiser:N` (the Nth advertiser), `$token:N` (the Nth advertiser token).
 */
export function resolvePlaceholders(runtime: EmulatorRuntime, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(runtime, item));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(runtime, v)]));
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  const { state } = runtime;
  const [name, index] = value.slice(1).split(':');
  const nth = <T>(items: T[], what: string): T => {
    const item = items[Number(index ?? 0)];
    if (item === undefined) throw new RangeError(`${value}: there is no ${what} number ${index ?? 0}`);
    return item;
  };
  switch (name) {
    case 'production':
    case 'sandbox':
      return nth(
        [...state.apps.values()].filter((a) => a.environment === name),
        `${name} app`,
      ).appId;
    case 'advertiser':
      return nth([...state.advertisers.values()], 'advertiser').advertiserId;
    case 'token':
      return nth(
        [...state.tokens.values()].filter((t) => t.regime === 'advertiser'),
        'advertiser token',
      ).accessToken;
    case 'ttUserToken':
      return nth(
        [...state.tokens.values()].filter((t) => t.regime === 'tt_user'),
        'tt_user token',
      ).accessToken;
    default:
      throw new RangeError(
        `${value}: unknown placeholder (use $production, $sandbox, $advertiser:N, $token:N)`,
      );
  }
}

/** Starts `scenario` now on the emulator clock. */
export function startScenario(runtime: EmulatorRuntime, scenario: Scenario): ScenarioRun {
  const startedAt = runtime.clock.now();
  const reports: StepReport[] = scenario.steps.map((step) => ({
    at: step.at,
    do: step.do === 'fault' ? step.fault.type : step.do,
    note: step.note,
    status: 'pending',
  }));
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  let stopped = false;
  // Time the scenario jumped by itself (advanceClock) does not bring its later steps forward.
  let jumped = 0;
  const tick = () => {
    if (stopped) return;
    const elapsed = runtime.clock.now() - startedAt - jumped;
    scenario.steps.forEach((step, index) => {
      const report = reports[index]!;
      if (report.status === 'done' || report.status === 'failed' || step.at > elapsed) return;
      try {
        const result = runStep(runtime, step);
        if (result === WAITING) {
          report.status = 'waiting';
          return;
        }
        Object.assign(report, { status: 'done', result });
        if (step.do === 'advanceClock') jumped += (result as { jumpedMs: number }).jumpedMs;
      } catch (error) {
        Object.assign(report, { status: 'failed', error: (error as Error).message });
      }
      report.ranAt = new Date(runtime.clock.now()).toISOString();
    });
    if (reports.every((r) => r.status === 'done' || r.status === 'failed')) {
      stop();
      resolveFinished();
    }
  };
  const timer = setInterval(tick, 25);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  queueMicrotask(tick);
  return {
    name: scenario.name,
    description: scenario.description,
    startedAt,
    steps: reports,
    tick,
    stop,
    finished,
  };
}

const WAITING = Symbol('waiting');

function runStep(runtime: EmulatorRuntime, step: ScenarioStep): unknown {
  const now = runtime.clock.now();
  if (step.do === 'clearFaults') {
    return { cleared: clearFaults(runtime.faults, runtime.state) };
  }
  if (step.do === 'authorize') return authorize(runtime, step, now);
  if (step.do === 'advanceClock') {
    const by = step.by ?? untilTimeOfDay(now, step.to!, step.timeZone);
    runtime.clock.advance(by);
    return { now: new Date(runtime.clock.now()).toISOString(), jumpedMs: by };
  }
  const fault = resolvePlaceholders(runtime, step.fault) as typeof step.fault;
  if (isRequestFault(fault)) {
    const id = runtime.nextFaultId();
    runtime.faults.push({ id, fault, until: fault.durationMs ? now + fault.durationMs : null });
    return { id };
  }
  return applyStateFault(runtime.state, fault, () => randomToken(20), now);
}

// The owner re-authorizes: grant the newest consent request someone opened for the app, if any yet.
function authorize(runtime: EmulatorRuntime, step: Extract<ScenarioStep, { do: 'authorize' }>, now: number) {
  const appId = resolvePlaceholders(runtime, step.appId) as string;
  const request = runtime.consentRequests.findLast((r) => r.appId === appId && !r.granted);
  if (!request) return WAITING;
  request.granted = true;
  const app = runtime.state.apps.get(appId)!;
  const redirect = grantConsent(
    runtime.state,
    {
      appId,
      redirectUri: request.redirectUri,
      state: request.state,
      advertiserIds: step.advertiserIds?.map((id) => resolvePlaceholders(runtime, id) as string),
      environment: app.environment,
    },
    now,
  );
  if (step.followRedirect) {
    // What the person's browser does next; the integration's answer does not matter to the emulator.
    fetch(redirect, { redirect: 'manual', signal: AbortSignal.timeout(10_000) }).then(
      (response) => response.body?.cancel(),
      () => undefined,
    );
  }
  return {
    redirect: redirect.replace(/auth_code=[^&]+/, 'auth_code=…').replace(/([?&])code=[^&]+/, '$1code=…'),
  };
}

/** Milliseconds from `now` to the next `hh:mm` in `timeZone` (a day at most). */
export function untilTimeOfDay(now: number, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const day = 86_400_000;
  const local = now + zoneOffset(timeZone, now);
  const midnight = Math.floor(local / day) * day;
  let target = midnight + (hours * 60 + minutes) * 60_000;
  if (target <= local) target += day;
  // Back to an instant with the offset at the target (a DST change in between moves it by the difference).
  const guess = target - zoneOffset(timeZone, now);
  const at = target - zoneOffset(timeZone, guess);
  return Math.max(0, at - now);
}
