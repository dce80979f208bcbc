import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (3 of 3): faults combined, and campaign health', () => {
  for (const name of [
    'partial-outage',
    'watch-permission',
    'account-info-refused',
    'rate-limit-blackout',
    'suspension-pushed',
  ])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      180_000,
    );
});
