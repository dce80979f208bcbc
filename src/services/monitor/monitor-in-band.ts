import type { Subject } from '../../incidents/index.ts';
import { advertiserSubject, type InBandReport, permissionRefused, readInBand } from '../../monitor/index.ts';

export type { InBandReport };

import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';

/**
 * Acts on an in-band report: a permission failure opens its incident at once; an auth failure is
 * verified by a probe before anything is condemned; anything else is recorded with its diagnosis.
 */
export async function observeInBand(
  deps: {
    connections: ConnectionsService;
    incidents: IncidentsService;
    now: () => number;
    labelOf: (connectionId: string) => Promise<string>;
    /** The advertiser's name as stored (its id when unknown). */
    advertiserName: (connectionId: string, advertiserId: string) => Promise<string>;
    /** Probes the connection now (or queues the probe). */
    verify: (connectionId: string) => Promise<void>;
  },
  report: InBandReport,
) {
  const connection = await deps.connections.require(report.connection_id);
  const reading = readInBand(report, deps.now());
  const { diagnosis } = reading;
  const kind = diagnosis.kind;
  if (reading.action === 'verify') {
    await deps.verify(connection.id);
    return { kind, code: diagnosis.code, title: diagnosis.title, action: 'verifying' as const };
  }
  if (reading.action === 'permission') {
    const { refusal, advertiserId } = reading;
    const where = { connectionId: connection.id, appId: connection.app_id };
    // A refusal is about one advertiser when the call named one: the same incident the sweep and
    // campaign watch open for it.
    const subject: Subject = advertiserId
      ? advertiserSubject(
          { id: advertiserId, name: await deps.advertiserName(connection.id, advertiserId) },
          where,
        )
      : {
          type: 'connection',
          id: connection.id,
          label: await deps.labelOf(connection.id),
          connectionId: connection.id,
          appId: connection.app_id,
        };
    const observation = permissionRefused(subject, refusal, deps.now(), 'in_band');
    const result = await deps.incidents.observe({
      ...observation,
      fix: [observation.fix![0]!, ...diagnosis.fix],
      facts: { ...observation.facts, request_id: report.request_id ?? refusal.requestId },
    });
    return {
      kind,
      code: diagnosis.code,
      title: diagnosis.title,
      action: 'incident_opened' as const,
      incident_id: result.incident?.id ?? null,
    };
  }
  return { kind, code: diagnosis.code, title: diagnosis.title, action: 'recorded' as const };
}
