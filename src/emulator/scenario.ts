import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FaultSchema } from './faults.ts';
import { scenarioDurationMs } from './scenario-duration.ts';

/** Scenario-only actions, beside every fault type. */
const ACTIONS = ['clearFaults', 'authorize', 'advanceClock'] as const;

const FAULT_TYPES = FaultSchema.options.map((option) => option.shape.type.value);

/** When a step runs: a duration after the scenario starts ("30s", "2m", "1h") or milliseconds. */
const At = z
  .union([z.string(), z.number()], {
    error: (issue) =>
      issue.input === undefined
        ? 'required: when the step runs, e.g. "30s"'
        : 'must be a duration like "30s"',
  })
  .transform((value, context) => {
    const ms = scenarioDurationMs(value);
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: `"${value}" is not a duration like "30s", "2m" or "1h"` });
      return z.NEVER;
    }
    return ms;
  });

const Authorize = z.strictObject({
  do: z.literal('authorize'),
  at: At,
  note: z.string().optional(),
  /** The app whose pending consent request is granted: an app id, or "$production" / "$sandbox". */
  appId: z.string().default('$production'),
  /** Advertisers granted; absent: all the app offers. */
  advertiserIds: z.array(z.string()).optional(),
  /** Follow the redirect to the integration's callback as a browser would. @default true */
  followRedirect: z.boolean().default(true),
});

const AdvanceClock = z
  .strictObject({
    do: z.literal('advanceClock'),
    at: At,
    note: z.string().optional(),
    /** How far to jump the emulator clock ("359d"): token expiries and reminders without waiting. */
    by: At.optional(),
    /** Or the local time of day to jump to ("10:00", the next one to come) in `timeZone`. */
    to: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like "10:00"')
      .optional(),
    /** The IANA zone `to` is read in. @default 'UTC' */
    timeZone: z
      .string()
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone like "America/New_York"')
      .default('UTC'),
  })
  .refine((step) => (step.by === undefined) !== (step.to === undefined), {
    message: 'advanceClock takes either "by" (a duration) or "to" (a time of day)',
  });

const RawStep = z.looseObject({ at: At, do: z.string(), note: z.string().optional() });

/** One validated step: when, what, and the fault (or action) parameters. */
export type ScenarioStep =
  | { at: number; do: 'clearFaults'; note?: string }
  | z.output<typeof Authorize>
  | z.output<typeof AdvanceClock>
  | { at: number; do: 'fault'; note?: string; fault: z.output<typeof FaultSchema> };

/** A validated scenario, steps sorted by time. */
export interface Scenario {
  name: string;
  description: string;
  steps: ScenarioStep[];
}

/** A scenario file that does not validate; `problems` name the step and the reason. */
export class ScenarioError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source} is not a valid scenario:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const issuesOf = (error: z.ZodError, where: string) =>
  error.issues.map(
    (issue) => `${where}${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue.message}`,
  );

/**
 * Validates a scenario: either a bare array of steps or `{ name, description, steps }`. Each step is
 * `{ at, do, …parameters }` where `do` is a fault type (parameters as for POST /__control/faults),
 * `clearFaults`, `authorize` or `advanceClock`. Throws a ScenarioError listing every bad step.
 */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  if (PARSED.has(input as Scenario)) return input as Scenario;
  const document = Array.isArray(input) ? { steps: input } : input;
  const envelope = z
    .strictObject({
      name: z.string().default(source),
      description: z.string().default(''),
      steps: z.array(z.unknown()).min(1, 'a scenario needs at least one step'),
    })
    .safeParse(document);
  if (!envelope.success) throw new ScenarioError(source, issuesOf(envelope.error, 'scenario'));
  const problems: string[] = [];
  const steps: ScenarioStep[] = [];
  envelope.data.steps.forEach((raw, index) => {
    const where = `step ${index + 1}`;
    const base = RawStep.safeParse(raw);
    if (!base.success) {
      problems.push(...issuesOf(base.error, where));
      return;
    }
    const { at, do: action, note, ...parameters } = base.data;
    const label = `${where} (${action} at ${String((raw as { at: unknown }).at)})`;
    if (action === 'clearFaults') {
      if (Object.keys(parameters).length > 0)
        problems.push(
          `${label}: clearFaults takes no parameters (got ${Object.keys(parameters).join(', ')})`,
        );
      else steps.push({ at, do: 'clearFaults', note });
    } else if (action === 'authorize' || action === 'advanceClock') {
      const parsed = (action === 'authorize' ? Authorize : AdvanceClock).safeParse(raw);
      if (parsed.success) steps.push(parsed.data);
      else problems.push(...issuesOf(parsed.error, label));
    } else if ((FAULT_TYPES as string[]).includes(action)) {
      const parsed = FaultSchema.safeParse({ type: action, ...parameters });
      if (parsed.success) steps.push({ at, do: 'fault', note, fault: parsed.data });
      else problems.push(...issuesOf(parsed.error, label));
    } else {
      problems.push(
        `${label}: unknown action "${action}"; use one of ${[...FAULT_TYPES, ...ACTIONS].join(', ')}`,
      );
    }
  });
  if (problems.length > 0) throw new ScenarioError(source, problems);
  const scenario: Scenario = {
    name: envelope.data.name,
    description: envelope.data.description,
    steps: steps.sort((a, b) => a.at - b.at),
  };
  PARSED.add(scenario);
  return scenario;
}

// Scenarios this module validated, so passing one back in does not validate it twice.
const PARSED = new WeakSet<Scenario>();

/** The scenarios shipped with adwarden. */
export const SHIPPED_SCENARIOS = [
  'revoked-token',
  'rate-limit-storm',
  'outage',
  'permission-removed',
  'expiring-refresh-token',
  'video-processing',
  'environment-mismatch',
  'app-secret-rotated',
  'advertiser-removed',
  'ad-rejected',
  'account-suspended',
  'partial-outage',
  'watch-permission',
  'account-info-refused',
  'rate-limit-blackout',
  'suspension-pushed',
  'spend-stopped',
  'campaign-families',
  'tiktok-incident',
  'demo',
] as const;

const SCENARIO_DIR = new URL('../../scenarios/', import.meta.url);

/** Loads a shipped scenario by name, or a scenario file by path. */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const shipped = (SHIPPED_SCENARIOS as readonly string[]).includes(nameOrPath);
  const location = shipped ? new URL(`${nameOrPath}.json`, SCENARIO_DIR) : nameOrPath;
  let text: string;
  try {
    text = await readFile(location, 'utf8');
  } catch (error) {
    throw new ScenarioError(nameOrPath, [
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); shipped scenarios are ${SHIPPED_SCENARIOS.join(', ')}`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(nameOrPath, [`not JSON: ${(error as Error).message}`]);
  }
  return parseScenario(
    json,
    shipped
      ? nameOrPath
      : nameOrPath
          .split('/')
          .pop()!
          .replace(/\.json$/, ''),
  );
}
