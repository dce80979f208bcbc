import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../../examples/client-against-emulator.ts', import.meta.url));

describe('the README’s library example', () => {
  it('runs as written against the emulator', () => {
    const run = spawnSync(process.execPath, [EXAMPLE], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/STATUS_ENABLE/);
    expect(run.stdout).toMatch(/^40105 auth_invalid: /m);
  });
});
