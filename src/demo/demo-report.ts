import type { Emulator } from '../emulator/index.ts';
import type { Services } from '../services/index.ts';
import type { InboxEntry } from './demo-inbox.ts';

/** The report `adwarden demo --until-done --json` prints: what really happened in the run. */
export interface DemoReport {
  scenario: string;
  description: string;
  timed_out: boolean;
  speed: number;
  steps: Array<{ at_ms: number; do: string; status: string; ran_at: string | null; note: string | null }>;
  incidents: Array<{
    id: string;
    kind: string;
    subject: string;
    subject_type: string;
    severity: string;
    state: string;
    opened_at: string;
    /** What found it first: `sweep`, `campaign_watch`, `push`, `status_feed`, … */
    opened_by: string | null;
    resolved_at: string | null;
    summary: string;
    actions: string[];
    fix: string[];
  }>;
  /** Each connection as the run left it. */
  connections: Array<{ id: string; app_id: string; status: string; status_reason: string | null }>;
  notifications: Array<{
    channel: string;
    incident_id: string | null;
    event: string;
    /** How many times the incident had come back when this was sent. */
    reopen_count: number;
    verified: boolean | null;
  }>;
  /**
   * `made`: requests TikTok (the emulator) received from the monitor's run; `minimum`: the fewest its
   * work needed; `workload`: calls the demo's own creative pipeline made (uploads), not counted in `made`.
   */
  api_calls: { made: number; minimum: number; checks: number; watches: number; workload: number };
  /** Emulator-time latencies: a fault's step → its incident opened → the first notification delivered. */
  detection_ms: {
    incidents: Record<string, { opened_after_step_ms: number | null; notified_after_open_ms: number | null }>;
    open_p50: number | null;
    open_max: number | null;
    notify_max: number | null;
  };
  /** Each incident event reached each channel exactly once. */
  one_notification_per_event_per_channel: boolean;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** What `buildDemoReport` reads. */
interface ReportInput {
  services: Services;
  emulator: Emulator;
  inbox: InboxEntry[];
  startedAt: number;
  timedOut: boolean;
  speed: number;
  /** The monitor's counters when the scenario started (the first checks of the adopted tokens came before). */
  baseline: { checks: number; watches: number; minimumCalls: number };
  /** Calls the demo's own workload (the creative pipeline) made. @default 0 */
  workloadCalls?: number;
}

/** Builds the demo report from the database, the inbox and the emulator's request log. */
export async function buildDemoReport(input: ReportInput): Promise<DemoReport> {
  const { services, emulator, inbox } = input;
  const scenario = (await emulator.control.scenario())!;
  const incidents = (await services.incidents.list()).reverse();
  const { detection, opens, notifies } = detectionTimes(scenario.steps, incidents, inbox);
  // As the outbox keys a notification: a reopened incident's second "resolved" is a new event, not a duplicate.
  const keys = inbox.map((e) => `${e.channel}|${e.incident_id}|${e.event}|${e.reopen_count}`);
  const stats = services.monitor.stats();
  return {
    scenario: scenario.name,
    description: scenario.description,
    timed_out: input.timedOut,
    speed: input.speed,
    steps: scenario.steps.map((s) => ({
      at_ms: s.at,
      do: s.do,
      status: s.status,
      ran_at: s.ranAt ?? null,
      note: s.note ?? null,
    })),
    incidents: await Promise.all(incidents.map((i) => incidentRow(services, i))),
    connections: (await services.connections.list()).map((c) => ({
      id: c.id,
      app_id: c.app_id,
      status: c.status,
      status_reason: c.status_reason ?? null,
    })),
    notifications: inbox.map((e) => ({
      channel: e.channel,
      incident_id: e.incident_id,
      event: e.event,
      reopen_count: e.reopen_count,
      verified: e.verified,
    })),
    api_calls: {
      made: (await emulator.control.requestCount()) - (input.workloadCalls ?? 0),
      minimum: stats.minimumCalls - input.baseline.minimumCalls,
      checks: stats.checks - input.baseline.checks,
      watches: stats.watches - input.baseline.watches,
      workload: input.workloadCalls ?? 0,
    },
    detection_ms: {
      incidents: detection,
      open_p50: percentile(opens, 50),
      open_max: opens.length ? Math.max(...opens) : null,
      notify_max: notifies.length ? Math.max(...notifies) : null,
    },
    one_notification_per_event_per_channel: new Set(keys).size === keys.length,
  };
}

type Incidents = Awaited<ReturnType<Services['incidents']['list']>>;
type Steps = NonNullable<Awaited<ReturnType<Emulator['control']['scenario']>>>['steps'];

/** How long each incident took to open after the step that caused it, and to be notified after opening. */
function detectionTimes(steps: Steps, incidents: Incidents, inbox: InboxEntry[]) {
  const stepTimes = steps
    .filter((s) => s.ranAt && s.do !== 'clearFaults' && s.do !== 'authorize')
    .map((s) => Date.parse(s.ranAt!));
  const detection: DemoReport['detection_ms']['incidents'] = {};
  for (const incident of incidents) {
    const opened = Date.parse(incident.opened_at);
    const cause = stepTimes.filter((t) => t <= opened).at(-1);
    const first = inbox.filter((e) => e.incident_id === incident.id && e.event === 'opened').map((e) => e.at);
    detection[incident.id] = {
      opened_after_step_ms: cause === undefined ? null : opened - cause,
      notified_after_open_ms: first.length ? Math.min(...first) - opened : null,
    };
  }
  const opens = Object.values(detection).flatMap((d) =>
    d.opened_after_step_ms === null ? [] : [d.opened_after_step_ms],
  );
  const notifies = Object.values(detection).flatMap((d) =>
    d.notified_after_open_ms === null ? [] : [d.notified_after_open_ms],
  );
  return { detection, opens, notifies };
}

/** An incident as the report lists it. */
async function incidentRow(services: Services, i: Incidents[number]) {
  const { timeline } = await services.incidents.show(i.id);
  const opened = timeline.find((e: { kind: string }) => e.kind === 'opened') as
    | { data?: { source?: unknown } | null }
    | undefined;
  return {
    id: i.id,
    kind: i.kind,
    subject: String((i.subject as { label?: string }).label ?? ''),
    subject_type: String((i.subject as { type?: string }).type ?? ''),
    severity: i.severity,
    state: i.state,
    opened_at: i.opened_at,
    opened_by: typeof opened?.data?.source === 'string' ? opened.data.source : null,
    resolved_at: i.resolved_at,
    summary: i.summary,
    actions: i.actions.map((a) => a.text),
    fix: i.fix,
  };
}
