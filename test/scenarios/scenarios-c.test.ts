import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (3 of 4): faults combined', () => {
  for (const name of ['partial-outage', 'watch-permission', 'account-info-refused', 'rate-limit-blackout'])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      180_000,
    );
});
