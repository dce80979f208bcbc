import { describe, expect, it } from 'vitest';
import { readVideoPoll, stuckVideosSummary, type WatchedVideo } from './video-findings.ts';

const MIN = 60_000;
const video = (id: string, polls: number, deadlineAt = 30 * MIN): WatchedVideo => ({
  videoId: id,
  advertiserId: '7000000000000000001',
  label: null,
  registeredAt: 0,
  deadlineAt,
  polls,
});

describe('readVideoPoll', () => {
  it('takes a listed, displayable video as ready', () => {
    expect(readVideoPoll([video('v1', 1)], [{ video_id: 'v1', displayable: true }], MIN).ready).toEqual([
      'v1',
    ]);
  });

  it('keeps a listed video that is not yet displayable waiting', () => {
    const reading = readVideoPoll([video('v1', 1)], [{ video_id: 'v1', displayable: false }], MIN);
    expect(reading.ready).toEqual([]);
    expect(reading.waiting.map((w) => w.videoId)).toEqual(['v1']);
  });

  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [6, 60_000],
    [20, 60_000],
  ])('backs off a missing video after poll %i by %i ms', (polls, delay) => {
    const [waiting] = readVideoPoll([video('v1', polls)], [], MIN).waiting;
    expect(waiting!.nextPollAt - MIN).toBe(delay);
  });

  it('never schedules a poll past the deadline', () => {
    const [waiting] = readVideoPoll([video('v1', 10, MIN + 5_000)], [], MIN).waiting;
    expect(waiting!.nextPollAt).toBe(MIN + 5_000);
  });

  it('calls a video still missing at its deadline stuck, since TikTok never lists a failed one', () => {
    const reading = readVideoPoll([video('v1', 9), video('v2', 9)], [{ video_id: 'v2' }], 30 * MIN);
    expect(reading).toEqual({ ready: ['v2'], stuck: ['v1'], waiting: [] });
  });
});

describe('stuckVideosSummary', () => {
  it('names the advertiser and every stuck upload, and says what to do', () => {
    const text = stuckVideosSummary({ id: '7000000000000000001', name: 'Harbor Fitness' }, [
      { videoId: 'v1', label: 'spring.mp4', registeredAt: 0, deadlineAt: 30 * MIN },
      { videoId: 'v2', label: null, registeredAt: 0, deadlineAt: 30 * MIN },
    ]);
    expect(text.summary).toMatch(
      /^2 uploads to Harbor Fitness \(7000000000000000001\) never became usable: spring\.mp4 \(v1\), v2 are still missing .* after 30 min/,
    );
    expect(text.fix[0]).toMatch(/Upload the file again/);
  });

  it('shortens a long list', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      videoId: `v${i}`,
      label: null,
      registeredAt: 0,
      deadlineAt: MIN,
    }));
    expect(stuckVideosSummary({ id: '1', name: 'A' }, many).summary).toContain('v4 and 3 more');
  });
});
