import type { Incident, Observation } from '../incidents/index.ts';
import type { CheckFindings, CheckReading } from './check-observations.ts';

/** Transient checks in a row, while others work, before a connection counts as unreachable. */
export const UNREACHABLE_AFTER = 3;

/**
 * Recoveries one check proves for incidents already open: an advertiser back in the authorization, an
 * ad account read as able to deliver again. Pure: the incidents come in, the observations go out.
 */
export function provenRecoveries(
  findings: Pick<CheckFindings, 'granted' | 'accountStatus'>,
  reading: Pick<CheckReading, 'accountsRead'>,
  open: { removed: readonly Incident[]; accountStatus: readonly Incident[] },
  at: number,
): Observation[] {
  const granted = new Set(findings.granted.map((g) => g.advertiser_id));
  const blocked = new Set(findings.accountStatus.blocked.map((b) => b.advertiser_id));
  const read = new Set(reading.accountsRead);
  const recovery = (incident: Incident, summary: string): Observation => ({
    problem: incident.problem,
    subject: incident.subject,
    detail: incident.detail ?? undefined,
    failing: false,
    at,
    source: 'sweep',
    summary,
  });
  const advertiser = (i: Incident) => i.subject.advertiserId ?? '';
  return [
    ...open.removed
      .filter((i) => granted.has(advertiser(i)))
      .map((i) => recovery(i, 'The advertiser is back in the authorization.')),
    ...open.accountStatus
      .filter((i) => read.has(advertiser(i)) && !blocked.has(advertiser(i)))
      .map((i) => recovery(i, 'The ad account is enabled again (STATUS_ENABLE).')),
  ];
}

/**
 * A connection that keeps failing for reasons outside its token (`UNREACHABLE_AFTER` transient checks
 * in a row) is unreachable; per-connection noise the incidents service holds back during an outage.
 */
export function unreachableObservation(
  findings: Pick<CheckFindings, 'connectionId' | 'appId' | 'label' | 'diagnosis'>,
  outcome: CheckReading['outcome'],
  failures: number,
  at: number,
): Observation | null {
  if (outcome !== 'transient' || failures < UNREACHABLE_AFTER) return null;
  const d = findings.diagnosis;
  return {
    problem: 'unreachable',
    subject: {
      type: 'connection',
      id: findings.connectionId,
      label: findings.label,
      connectionId: findings.connectionId,
      appId: findings.appId,
    },
    failing: true,
    at,
    source: 'sweep',
    summary: `${failures} checks in a row failed for reasons outside the token (${d?.code ?? 'no answer'}: ${d?.title ?? 'unknown'}), while other connections work.`,
    fix: [
      'Nothing to do yet: adwarden keeps re-checking with backoff.',
      'If it lasts, look at TikTok’s status page and at the network between adwarden and TikTok.',
    ],
    facts: { code: d?.code ?? null, failures },
  };
}
