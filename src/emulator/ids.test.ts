import { describe, expect, it } from 'vitest';
import { requestId } from './ids.ts';

describe('requestId', () => {
  it('is 34 characters (as TikTok sends them), stamped with the emulator clock’s second, and never repeats', () => {
    const at = Date.UTC(2026, 11, 2, 17, 40, 5, 900);
    const ids = Array.from({ length: 2_000 }, (_, i) => requestId(at + i));
    for (const id of ids) expect(id).toMatch(/^\d{14}[0-9A-F]{20}$/);
    expect(ids[0]!.slice(0, 14)).toBe('20261202174005');
    expect(ids.at(-1)!.slice(0, 14)).toBe('20261202174007');
    expect(new Set(ids).size).toBe(ids.length);
  });
});
