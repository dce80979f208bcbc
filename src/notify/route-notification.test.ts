import { describe, expect, it } from 'vitest';
import { notificationKey, overHourlyCap, routeNotification } from './route-notification.ts';

const channel = (over: Partial<Parameters<typeof routeNotification>[0][number]> = {}) => ({
  id: 'ch_1',
  enabled: true,
  min_severity: 'medium' as const,
  labels: {},
  ...over,
});

describe('routeNotification', () => {
  it.each([
    ['a channel at the severity', channel(), 'high', {}, true],
    ['a channel above it', channel({ min_severity: 'critical' }), 'high', {}, false],
    ['a disabled channel', channel({ enabled: false }), 'critical', {}, false],
    [
      'a channel for a client the connection carries',
      channel({ labels: { client: 'acme' } }),
      'high',
      { client: 'acme' },
      true,
    ],
    [
      'a channel for another client',
      channel({ labels: { client: 'acme' } }),
      'high',
      { client: 'zeta' },
      false,
    ],
  ] as const)('%s → %s', (_, c, severity, labels, routed) => {
    expect(routeNotification([c], { severity }, labels).length === 1).toBe(routed);
  });
});

describe('notificationKey', () => {
  const incident = { id: 'inc_1', reopenCount: 0, severity: 'high' as const };
  it('is the same for the same event and different for a reopened incident’s', () => {
    expect(notificationKey(incident, 'resolved', 'ch_1')).toBe(notificationKey(incident, 'resolved', 'ch_1'));
    expect(notificationKey({ ...incident, reopenCount: 1 }, 'resolved', 'ch_1')).not.toBe(
      notificationKey(incident, 'resolved', 'ch_1'),
    );
  });
  it('tells escalations apart by severity, and channels apart', () => {
    expect(notificationKey(incident, 'escalated', 'ch_1')).not.toBe(
      notificationKey({ ...incident, severity: 'critical' }, 'escalated', 'ch_1'),
    );
    expect(notificationKey(incident, 'opened', 'ch_1')).not.toBe(notificationKey(incident, 'opened', 'ch_2'));
  });
});

describe('overHourlyCap', () => {
  it.each([
    [null, 1000, false],
    [10, 9, false],
    [10, 10, true],
    [0, 0, true],
  ])('cap %s with %i sent → held %s', (max, sent, held) => {
    expect(overHourlyCap({ max_per_hour: max }, sent)).toBe(held);
  });
});
