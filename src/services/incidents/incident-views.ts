import type { IncidentRow } from '../../db/index.ts';

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** An incident as the API and CLI show it. */
export function incidentView(row: IncidentRow, publicUrl: string) {
  return {
    id: row.id,
    kind: row.problem,
    subject: row.subject,
    detail: row.detail,
    severity: row.severity,
    state: row.state,
    summary: row.summary,
    fix: row.fix,
    facts: row.facts,
    actions: row.actions,
    opened_at: row.opened_at.toISOString(),
    resolved_at: iso(row.resolved_at),
    last_failing_at: row.last_failing_at.toISOString(),
    recovering_since: iso(row.recovering_since),
    muted_until: iso(row.muted_until),
    occurrences: row.occurrences,
    reopen_count: row.reopen_count,
    url: `${publicUrl}/incidents/${row.id}`,
  };
}
