import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { createEvents } from '../events.ts';
import { type LimiterFactory, paceStep } from './pace.ts';

describe('paceStep budgets', () => {
  it.each(['production', 'sandbox'] as const)(
    'keys the %s budgets apart from the other environment (TikTok counts them apart; a shared store must too)',
    (environment) => {
      const prefixes: string[] = [];
      const factory: LimiterFactory = (options) => {
        prefixes.push(options.keyPrefix);
        return new RateLimiterMemory(options);
      };
      paceStep({
        appId: 'app1',
        tier: 'basic',
        environment,
        limiterFactory: factory,
        events: createEvents(),
      });
      expect(prefixes.length).toBeGreaterThan(3);
      for (const prefix of prefixes) expect(prefix.startsWith(`adw:app1:${environment}:`)).toBe(true);
    },
  );
});
