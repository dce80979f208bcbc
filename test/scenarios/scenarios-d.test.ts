import { describe, it } from 'vitest';
import { playScenario } from './expectations.ts';

describe('shipped scenarios (4 of 4): campaign health beyond statuses', () => {
  for (const name of ['suspension-pushed', 'spend-stopped', 'campaign-families', 'tiktok-incident'])
    it(
      `${name} leads to the expected incidents, actions and notifications`,
      () => playScenario(name).then(() => {}),
      240_000,
    );
});
