import {
  type Command,
  DEFAULT_INCIDENT_POLICY,
  type Effect,
  type Incident,
  type IncidentInput,
  type IncidentPolicy,
  type Observation,
  SEVERITY_RANK,
  type Severity,
  type TimelineEntry,
} from './types.ts';

/** The dedupe key: one incident per problem, subject and detail. */
export function fingerprintOf(observation: Pick<Observation, 'problem' | 'subject' | 'detail'>): string {
  const { problem, subject, detail } = observation;
  return `${problem}|${subject.type}:${subject.id}${detail ? `|${detail}` : ''}`;
}

/** The severity a problem gets when the observation does not say. */
export function defaultSeverity(observation: Observation): Severity {
  switch (observation.problem) {
    case 'auth':
    case 'app_credentials':
      return 'critical';
    case 'permission':
    case 'environment':
    case 'monitoring':
    case 'outage':
    case 'account_status':
    case 'advertiser_removed':
      return 'high';
    case 'delivery':
    case 'unreachable':
    case 'rate_limit':
    case 'video':
      return 'medium';
    case 'expiry':
      return 'low';
  }
}

/** The result of one evaluation: the incident after it (null: none exists) and what to do. */
export interface Evaluation {
  next: Incident | null;
  effects: Effect[];
}

const unchanged = (current: Incident | null): Evaluation => ({ next: current, effects: [] });
const timeline = (kind: TimelineEntry['kind'], at: number, text: string, data?: Record<string, unknown>) =>
  ({ type: 'timeline', entry: { kind, at, text, ...(data ? { data } : {}) } }) as const;

/**
 * The incident state machine: pure, so every rule is a row in a table test.
 * - A failing observation opens an incident (or reopens a resolved one), asks for remediation and a
 *   notification; on an open one it counts, escalates severity, and cancels a pending recovery.
 * - A passing observation starts the quiet period; the incident resolves when the problem has stayed
 *   away for `quietMs` (at the next observation or tick), or at once when recovery is definitive.
 * - Commands acknowledge, mute (optionally until a time), unmute, resolve and reopen. A muted incident
 *   keeps its timeline but notifies nobody.
 * @example evaluateIncident(null, { type: 'observation', observation }, 'inc_1', now)
 */
export function evaluateIncident(
  current: Incident | null,
  input: IncidentInput,
  newId: string,
  now: number,
  policy: IncidentPolicy = DEFAULT_INCIDENT_POLICY,
): Evaluation {
  if (input.type === 'command') return current ? applyCommand(current, input.command, now) : unchanged(null);
  if (input.type === 'tick')
    return current ? settle(unmuteIfDue(current, now), now, policy) : unchanged(null);
  const observation = input.observation;
  if (observation.failing) return fail(current, observation, newId, now);
  return recover(current, observation, now, policy);
}

function fail(current: Incident | null, o: Observation, newId: string, now: number): Evaluation {
  const severity = o.severity ?? defaultSeverity(o);
  const refreshed = {
    summary: o.summary,
    fix: o.fix ?? current?.fix ?? [],
    facts: { ...(current?.facts ?? {}), ...(o.facts ?? {}) },
    lastFailingAt: o.at,
    recoveringSince: null,
    updatedAt: now,
  };
  if (!current) {
    const next: Incident = {
      id: newId,
      fingerprint: fingerprintOf(o),
      problem: o.problem,
      subject: o.subject,
      detail: o.detail ?? null,
      severity,
      state: 'open',
      ...refreshed,
      openedAt: o.at,
      resolvedAt: null,
      occurrences: 1,
      mutedUntil: null,
      reopenCount: 0,
    };
    return {
      next,
      effects: [
        timeline('opened', o.at, o.summary, { source: o.source, ...(o.facts ?? {}) }),
        { type: 'notify', event: 'opened' },
        { type: 'remediate' },
      ],
    };
  }
  if (current.state === 'resolved') {
    const next: Incident = {
      ...current,
      ...refreshed,
      subject: o.subject,
      severity,
      state: 'open',
      resolvedAt: null,
      occurrences: 1,
      reopenCount: current.reopenCount + 1,
    };
    return {
      next,
      effects: [
        timeline('reopened', o.at, `It happened again: ${o.summary}`, { source: o.source }),
        { type: 'notify', event: 'reopened' },
        { type: 'remediate' },
      ],
    };
  }
  const escalated = SEVERITY_RANK[severity] > SEVERITY_RANK[current.severity];
  const next: Incident = {
    ...current,
    ...refreshed,
    severity: escalated ? severity : current.severity,
    occurrences: current.occurrences + 1,
  };
  const effects: Effect[] = [];
  if (current.recoveringSince !== null)
    effects.push(timeline('relapsed', o.at, `Not over yet: ${o.summary}`, { source: o.source }));
  else if (current.summary !== o.summary)
    effects.push(timeline('observed', o.at, o.summary, { source: o.source }));
  if (escalated) {
    effects.push(timeline('escalated', o.at, `Severity raised from ${current.severity} to ${severity}.`));
    if (current.state !== 'muted') effects.push({ type: 'notify', event: 'escalated' });
  }
  return { next, effects };
}

function recover(current: Incident | null, o: Observation, now: number, policy: IncidentPolicy): Evaluation {
  if (!current || current.state === 'resolved') return unchanged(current);
  if (o.definitive) return resolve(current, o.at, now, o.summary, { source: o.source });
  if (current.recoveringSince !== null) return settle(current, now, policy);
  const next = { ...current, recoveringSince: o.at, updatedAt: now };
  const wait = Math.round(policy.quietMs / 1000);
  const effects: Effect[] = [
    timeline('recovering', o.at, `${o.summary} It resolves by itself if it stays that way for ${wait} s.`, {
      source: o.source,
    }),
  ];
  if (policy.quietMs <= 0) return resolve(next, o.at, now, o.summary, { source: o.source });
  return { next, effects };
}

// Resolves a recovering incident whose quiet period has passed. A quiet period that starts in the
// future began before the clock jumped back: it starts again now, rather than when the clock catches up.
function settle(current: Incident, now: number, policy: IncidentPolicy): Evaluation {
  if (current.state === 'resolved' || current.recoveringSince === null) return unchanged(current);
  if (current.recoveringSince > now)
    return { next: { ...current, recoveringSince: now, updatedAt: now }, effects: [] };
  if (now - current.recoveringSince < policy.quietMs) return unchanged(current);
  return resolve(current, now, now, 'The problem has not come back during the quiet period.', {
    quietMs: policy.quietMs,
  });
}

function resolve(
  current: Incident,
  at: number,
  now: number,
  text: string,
  data: Record<string, unknown>,
): Evaluation {
  const next: Incident = {
    ...current,
    state: 'resolved',
    resolvedAt: at,
    recoveringSince: null,
    updatedAt: now,
  };
  const effects: Effect[] = [timeline('resolved', at, text, data)];
  if (current.state !== 'muted') effects.push({ type: 'notify', event: 'resolved' });
  return { next, effects };
}

function unmuteIfDue(current: Incident, now: number): Incident {
  if (current.state !== 'muted' || current.mutedUntil === null || current.mutedUntil > now) return current;
  return { ...current, state: 'open', mutedUntil: null, updatedAt: now };
}

function applyCommand(current: Incident, command: Command, now: number): Evaluation {
  const said = (text: string) => timeline('command', now, text, { by: command.by, command: command.type });
  switch (command.type) {
    case 'acknowledge':
      if (current.state !== 'open') return unchanged(current);
      return {
        next: { ...current, state: 'acknowledged', updatedAt: now },
        effects: [said(`Acknowledged by ${command.by}.`)],
      };
    case 'mute': {
      if (current.state === 'resolved') return unchanged(current);
      const until = command.until ?? null;
      const text = until
        ? `Muted by ${command.by} until ${new Date(until).toISOString()}.`
        : `Muted by ${command.by}.`;
      return {
        next: { ...current, state: 'muted', mutedUntil: until, updatedAt: now },
        effects: [said(text)],
      };
    }
    case 'unmute':
      if (current.state !== 'muted') return unchanged(current);
      return {
        next: { ...current, state: 'open', mutedUntil: null, updatedAt: now },
        effects: [said(`Unmuted by ${command.by}.`)],
      };
    case 'resolve': {
      if (current.state === 'resolved') return unchanged(current);
      const note = command.note ? `: ${command.note}` : '.';
      const result = resolve(current, now, now, `Resolved by ${command.by}${note}`, { by: command.by });
      return result;
    }
    case 'reopen':
      if (current.state !== 'resolved') return unchanged(current);
      return {
        next: {
          ...current,
          state: 'open',
          resolvedAt: null,
          recoveringSince: null,
          reopenCount: current.reopenCount + 1,
          updatedAt: now,
        },
        effects: [said(`Reopened by ${command.by}.`), { type: 'notify', event: 'reopened' }],
      };
  }
}
