import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (2 of 4)', () => {
  for (const name of [
    'advertiser-removed',
    'app-secret-rotated',
    'environment-mismatch',
    'expiring-refresh-token',
    'video-processing',
    'demo',
  ])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      180_000,
    );
});
