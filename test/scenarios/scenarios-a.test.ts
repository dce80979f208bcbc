import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (1 of 3)', () => {
  for (const name of [
    'revoked-token',
    'rate-limit-storm',
    'outage',
    'permission-removed',
    'account-suspended',
    'ad-rejected',
    'tiktok-incident',
    'campaign-families',
  ])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      180_000,
    );
});
