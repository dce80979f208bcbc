import { describe, expect, it } from 'vitest';
import { evaluateIncident, fingerprintOf } from './evaluate-incident.ts';
import type { Incident, IncidentInput, Observation } from './types.ts';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const policy = { quietMs: 60_000 };

const observation = (over: Partial<Observation> = {}): Observation => ({
  problem: 'auth',
  subject: { type: 'connection', id: 'con_1', label: 'Acme', connectionId: 'con_1' },
  failing: true,
  at: T0,
  source: 'sweep',
  summary: 'The token was revoked by a Business Center admin.',
  ...over,
});
const seen = (over: Partial<Observation> = {}): IncidentInput => ({
  type: 'observation',
  observation: observation(over),
});
const run = (current: Incident | null, input: IncidentInput, now = T0) =>
  evaluateIncident(current, input, 'inc_new', now, policy);
const opened = () => run(null, seen()).next!;
const kinds = (r: ReturnType<typeof run>) =>
  r.effects.map((e) =>
    e.type === 'timeline' ? `timeline:${e.entry.kind}` : e.type === 'notify' ? `notify:${e.event}` : e.type,
  );

describe('evaluateIncident', () => {
  it('opens an incident for a failing observation, asking for a notification and remediation', () => {
    const r = run(null, seen());
    expect(r.next).toMatchObject({
      id: 'inc_new',
      state: 'open',
      severity: 'critical',
      fingerprint: 'auth|connection:con_1',
      openedAt: T0,
      occurrences: 1,
    });
    expect(kinds(r)).toEqual(['timeline:opened', 'notify:opened', 'remediate']);
  });

  it('does nothing for a passing observation when no incident exists', () => {
    expect(run(null, seen({ failing: false }))).toEqual({ next: null, effects: [] });
  });

  it('counts a repeat without notifying again (deduplicated by fingerprint)', () => {
    const r = run(opened(), seen({ at: T0 + 1000 }), T0 + 1000);
    expect(r.next).toMatchObject({ state: 'open', occurrences: 2, lastFailingAt: T0 + 1000 });
    expect(kinds(r)).toEqual([]);
  });

  it('escalates severity and notifies once', () => {
    const low = run(null, seen({ problem: 'delivery', severity: 'medium' })).next!;
    const r = run(low, seen({ problem: 'delivery', severity: 'high', at: T0 + 5 }), T0 + 5);
    expect(r.next?.severity).toBe('high');
    expect(kinds(r)).toEqual(['timeline:escalated', 'notify:escalated']);
    expect(kinds(run(r.next, seen({ problem: 'delivery', severity: 'medium' })))).toEqual([]);
  });

  it('starts the quiet period on recovery and resolves only after it', () => {
    const recovering = run(opened(), seen({ failing: false, at: T0 + 10_000 }), T0 + 10_000);
    expect(recovering.next).toMatchObject({ state: 'open', recoveringSince: T0 + 10_000 });
    expect(kinds(recovering)).toEqual(['timeline:recovering']);
    const early = run(recovering.next, { type: 'tick' }, T0 + 30_000);
    expect(early.next?.state).toBe('open');
    const late = run(recovering.next, { type: 'tick' }, T0 + 70_000);
    expect(late.next).toMatchObject({ state: 'resolved', resolvedAt: T0 + 70_000 });
    expect(kinds(late)).toEqual(['timeline:resolved', 'notify:resolved']);
  });

  it('restarts a quiet period that starts in the future (the clock went back), without notifying', () => {
    const recovering = run(opened(), seen({ failing: false, at: T0 + 10_000 }), T0 + 10_000).next;
    const back = run(recovering, { type: 'tick' }, T0 - 86_400_000);
    expect(back.next).toMatchObject({ state: 'open', recoveringSince: T0 - 86_400_000 });
    expect(kinds(back)).toEqual([]);
    const later = run(back.next, { type: 'tick' }, T0 - 86_400_000 + 61_000);
    expect(later.next?.state).toBe('resolved');
  });

  it('resolves at the next passing observation after the quiet period', () => {
    const recovering = run(opened(), seen({ failing: false, at: T0 + 10_000 }), T0 + 10_000).next;
    const r = run(recovering, seen({ failing: false, at: T0 + 80_000 }), T0 + 80_000);
    expect(r.next?.state).toBe('resolved');
  });

  it('cancels the quiet period when the problem returns (relapse, no new notification)', () => {
    const recovering = run(opened(), seen({ failing: false, at: T0 + 10_000 }), T0 + 10_000).next;
    const r = run(recovering, seen({ at: T0 + 20_000 }), T0 + 20_000);
    expect(r.next).toMatchObject({ state: 'open', recoveringSince: null });
    expect(kinds(r)).toEqual(['timeline:relapsed']);
    expect(run(r.next, { type: 'tick' }, T0 + 200_000).next?.state).toBe('open');
  });

  it('resolves at once on a definitive recovery (the owner re-authorized)', () => {
    const r = run(opened(), seen({ failing: false, definitive: true, at: T0 + 5 }), T0 + 5);
    expect(r.next).toMatchObject({ state: 'resolved', resolvedAt: T0 + 5 });
    expect(kinds(r)).toEqual(['timeline:resolved', 'notify:resolved']);
  });

  it('reopens the same incident when a resolved problem comes back', () => {
    const resolved = run(opened(), seen({ failing: false, definitive: true })).next;
    const r = run(resolved, seen({ at: T0 + 99 }), T0 + 99);
    expect(r.next).toMatchObject({ id: 'inc_new', state: 'open', reopenCount: 1, resolvedAt: null });
    expect(kinds(r)).toEqual(['timeline:reopened', 'notify:reopened', 'remediate']);
  });

  it('acknowledges, and a resolution still notifies', () => {
    const acked = run(opened(), { type: 'command', command: { type: 'acknowledge', by: 'ana' } }).next;
    expect(acked?.state).toBe('acknowledged');
    const r = run(acked, seen({ failing: false, definitive: true }));
    expect(kinds(r)).toEqual(['timeline:resolved', 'notify:resolved']);
  });

  it('keeps a muted incident silent, and unmutes it when the mute ends', () => {
    const muted = run(opened(), {
      type: 'command',
      command: { type: 'mute', by: 'ana', until: T0 + 1000 },
    }).next!;
    expect(muted.state).toBe('muted');
    expect(kinds(run(muted, seen({ severity: 'critical', problem: 'auth' })))).toEqual([]);
    expect(run(muted, { type: 'tick' }, T0 + 2000).next?.state).toBe('open');
    const silent = run(muted, seen({ failing: false, definitive: true }));
    expect(silent.next?.state).toBe('resolved');
    expect(kinds(silent)).toEqual(['timeline:resolved']);
  });

  it('resolves and reopens by command', () => {
    const resolved = run(opened(), {
      type: 'command',
      command: { type: 'resolve', by: 'ana', note: 'fixed in BC' },
    });
    expect(resolved.next?.state).toBe('resolved');
    expect(kinds(resolved)).toEqual(['timeline:resolved', 'notify:resolved']);
    const reopened = run(resolved.next, { type: 'command', command: { type: 'reopen', by: 'ana' } });
    expect(reopened.next?.state).toBe('open');
    expect(kinds(reopened)).toEqual(['timeline:command', 'notify:reopened']);
  });

  it.each([
    ['acknowledge', 'resolved'],
    ['unmute', 'open'],
    ['reopen', 'open'],
  ] as const)('ignores %s on an incident that is %s', (type, state) => {
    const current = { ...opened(), state };
    const r = run(current, { type: 'command', command: { type, by: 'ana' } as never });
    expect(r).toEqual({ next: current, effects: [] });
  });

  it('keys fingerprints by problem, subject and detail', () => {
    const subject = { type: 'connection' as const, id: 'c', label: 'c' };
    expect(fingerprintOf({ problem: 'permission', subject, detail: 'GET /advertiser/info/' })).toBe(
      'permission|connection:c|GET /advertiser/info/',
    );
    expect(fingerprintOf({ problem: 'permission', subject })).not.toBe(
      fingerprintOf({ problem: 'permission', subject, detail: 'x' }),
    );
  });
});
