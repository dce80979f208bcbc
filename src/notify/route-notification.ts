import { SEVERITY_RANK, type Severity } from '../incidents/index.ts';

/** What routing needs to know about a channel. */
export interface RoutableChannel {
  id: string;
  enabled: boolean;
  min_severity: Severity;
  labels: Record<string, string>;
}

/**
 * The channels an incident event goes to: enabled, at or above the channel's minimum severity, and
 * (when the channel names labels) only for connections carrying every one of them. Severity only
 * rises, so a resolution reaches every channel the opening reached.
 */
export function routeNotification<C extends RoutableChannel>(
  channels: readonly C[],
  incident: { severity: Severity },
  labels: Record<string, string>,
): C[] {
  return channels.filter((channel) => {
    if (!channel.enabled) return false;
    if (SEVERITY_RANK[incident.severity] < SEVERITY_RANK[channel.min_severity]) return false;
    return Object.entries(channel.labels).every(([key, value]) => labels[key] === value);
  });
}

/**
 * The outbox's idempotency key of one notification: the incident, the event, how many times the incident
 * had come back (a reopened incident's events are new ones), the severity for an escalation, the channel.
 * Two writers of the same event produce the same key, so it is queued once.
 */
export function notificationKey(
  incident: { id: string; reopenCount: number; severity: Severity },
  event: string,
  channelId: string,
): string {
  return `${incident.id}:${event}:${incident.reopenCount}:${event === 'escalated' ? incident.severity : ''}:${channelId}`;
}

/** True when a channel's hourly cap is reached: the notification is held (and goes in the daily digest). */
export function overHourlyCap(channel: { max_per_hour: number | null }, sentLastHour: number): boolean {
  return channel.max_per_hour !== null && sentLastHour >= channel.max_per_hour;
}
