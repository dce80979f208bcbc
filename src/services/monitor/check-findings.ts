import type { CheckFindings } from '../../monitor/index.ts';
import type { ConnectionsService } from '../connections/index.ts';

/** What `connections.check` returns. */
export type CheckResult = Awaited<ReturnType<ConnectionsService['check']>>;

/** Narrows a check result to what the monitor's decisions read (`readCheck`), naming removed advertisers. */
export function checkFindings(
  connection: {
    connectionId: string;
    appId: string;
    label: string;
    /** The connection's advertisers as stored (names for the removed ones). */
    names: ReadonlyArray<{ advertiser_id: string; name: string }>;
  },
  check: CheckResult,
): CheckFindings {
  const nameOf = new Map(connection.names.map((a) => [a.advertiser_id, a.name]));
  return {
    connectionId: connection.connectionId,
    appId: connection.appId,
    label: connection.label,
    live: check.live,
    status: check.verification?.status ?? null,
    needsReauth: check.verification?.needs_reauth ?? false,
    summary: check.summary,
    tokenEnvironment: check.verification?.token_environment ?? null,
    removed: (check.verification?.removed_advertisers ?? []).map((id) => ({
      advertiserId: id,
      name: nameOf.get(id) ?? id,
    })),
    granted: ('granted' in check ? check.granted : undefined) ?? [],
    diagnosis: check.diagnosis,
    accountStatus: ('account_status' in check ? check.account_status : undefined) ?? {
      checked: false,
      blocked: [],
      refused: [],
      read: [],
      error: null,
    },
  };
}
