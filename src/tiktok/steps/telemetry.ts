import type { Step } from '../call.ts';
import { TikTokError } from '../errors.ts';
import type { Events } from '../events.ts';

/** Emits `request` when a logical call starts and `response` when it ends, with elapsed time and attempts. */
export function telemetryStep(events: Events): Step {
  return async (call, next) => {
    const base = { method: call.method, endpoint: call.path, advertiserId: call.advertiserId };
    if (events.has('request')) events.emit('request', { ...base, attempt: 1, elapsedMs: 0 });
    try {
      const envelope = await next(call);
      if (events.has('response'))
        events.emit('response', {
          ...base,
          attempt: 1,
          elapsedMs: performance.now() - call.startedAt,
          code: 0,
          requestId: envelope.request_id,
          ok: true,
        });
      return envelope;
    } catch (error) {
      if (events.has('response'))
        events.emit('response', {
          ...base,
          attempt: error instanceof TikTokError ? error.attempts : 1,
          elapsedMs: performance.now() - call.startedAt,
          code: error instanceof TikTokError ? error.code : 'unknown',
          requestId: error instanceof TikTokError ? error.requestId : undefined,
          ok: false,
        });
      throw error;
    }
  };
}
