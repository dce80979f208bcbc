import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (2 of 3)', () => {
  for (const name of [
    'advertiser-removed',
    'app-secret-rotated',
    'environment-mismatch',
    'expiring-refresh-token',
    'video-processing',
    'demo',
    'spend-stopped',
  ])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      180_000,
    );
});
