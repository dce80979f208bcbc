import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True for an error that says the database could not be reached or dropped the session (a restart,
 * a failover, a network blip), as opposed to one about the statement itself.
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // SQLSTATE classes 08 (connection exception) and 57 (operator intervention: shutdown, restart).
  if (/^(08|57)[0-9A-Z]{3}$/.test(code)) return true;
  if (/^E[A-Z]+$/.test(code) && code !== 'EINVAL') return true;
  return /connection (terminated|ended|error)|not queryable|database system is (shutting down|starting up)|ECONNREFUSED|ECONNRESET/i.test(
    String(e?.message ?? ''),
  );
}

/**
 * Runs a write that must land (releasing a lease, recording a delivery) and retries it while the
 * database is unreachable: 0.25 s, 0.5 s … 4 s apart, for up to `forMs` in all. Other errors, and the
 * last connection error, are thrown.
 */
export async function persist<T>(write: () => Promise<T>, forMs = 60_000): Promise<T> {
  const until = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() >= until) throw error;
      await sleep(Math.min(4_000, 250 * 2 ** attempt, Math.max(0, until - Date.now())));
    }
  }
}
