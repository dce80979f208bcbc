import { classify } from '../catalog/index.ts';
import type { ConnectionsService } from './connections-service.ts';
import type { IncidentsService } from './incidents-service.ts';

/** A library user's failed call, as `POST /api/v1/observations` takes it. */
export interface InBandReport {
  connection_id: string;
  code?: number | string | null;
  message?: string | null;
  endpoint?: string | null;
  method?: string | null;
  advertiser_id?: string | null;
  request_id?: string | null;
}

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
    /** Probes the connection now (or queues the probe). */
    verify: (connectionId: string) => Promise<void>;
  },
  report: InBandReport,
) {
  const connection = await deps.connections.require(report.connection_id);
  const code =
    typeof report.code === 'string' && /^\d+$/.test(report.code) ? Number(report.code) : report.code;
  const diagnosis = classify(
    {
      code: code ?? undefined,
      message: report.message ?? undefined,
      request_id: report.request_id ?? undefined,
    },
    {
      now: deps.now(),
      endpoint: report.endpoint ?? undefined,
      advertiserId: report.advertiser_id ?? undefined,
    },
  );
  const kind = diagnosis.kind;
  if (['auth_invalid', 'auth_expired', 'app_credentials'].includes(kind)) {
    await deps.verify(connection.id);
    return { kind, code: diagnosis.code, title: diagnosis.title, action: 'verifying' as const };
  }
  if (kind === 'permission_denied') {
    const endpoint = diagnosis.details.endpoint ?? report.endpoint ?? 'an endpoint';
    const method = diagnosis.details.method ?? report.method ?? 'GET';
    const label = await deps.labelOf(connection.id);
    const result = await deps.incidents.observe({
      problem: 'permission',
      subject: {
        type: 'connection',
        id: connection.id,
        label,
        connectionId: connection.id,
        appId: connection.app_id,
      },
      detail: `${method} ${endpoint}`,
      failing: true,
      at: deps.now(),
      source: 'in_band',
      summary: `TikTok refused ${method} ${endpoint} for ${label}: ${diagnosis.message ?? diagnosis.title}.`,
      fix: [
        `The authorization lacks the permission for ${method} ${endpoint}${diagnosis.details.permissionGroup ? ` (permission group: ${diagnosis.details.permissionGroup})` : ''}.`,
        ...diagnosis.fix,
      ],
      facts: {
        code: diagnosis.code,
        endpoint,
        method,
        permission_group: diagnosis.details.permissionGroup ?? null,
        request_id: report.request_id ?? null,
      },
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
