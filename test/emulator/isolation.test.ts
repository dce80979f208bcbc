import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../src/emulator/', import.meta.url));

describe('the emulator', () => {
  it('imports nothing from the client, so a client bug cannot be hidden by the same bug in the fake', () => {
    const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) =>
      /from ['"][^'"]*\/(tiktok|catalog)\//.test(readFileSync(`${ROOT}${file}`, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
