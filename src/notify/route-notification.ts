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
