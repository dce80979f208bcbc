import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppInputSchema } from '../../services/index.ts';
import { setupLines } from './serve.ts';

const app = (base: string) => ({
  app_id: '7100000000000000001',
  name: 'Acme',
  base_url: base,
  redirect_uri: 'http://127.0.0.1:7420/oauth/tiktok/callback',
});

describe('setup without guessing', () => {
  it('prints each app’s redirect URI to register, and where clients are invited', () => {
    const lines = setupLines([app('http://127.0.0.1:4610/open_api/v1.3')], 'http://127.0.0.1:7420');
    expect(lines[0]).toBe(
      "App Acme (7100000000000000001): register this redirect URI in TikTok's developer portal: http://127.0.0.1:7420/oauth/tiktok/callback",
    );
    expect(lines).toContain('Invite a client to connect its ad accounts: http://127.0.0.1:7420/clients');
    // Against the emulator, a loopback URL is fine.
    expect(lines.some((l) => l.startsWith('Warning'))).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:7420', /is not https/],
    ['https://localhost:7420', /is a loopback address/],
  ])('warns when real TikTok cannot reach %s', (publicUrl, why) => {
    const lines = setupLines([app('https://business-api.tiktok.com/open_api/v1.3')], publicUrl);
    expect(lines.at(-1)).toMatch(why);
    expect(lines.at(-1)).toMatch(/Set ADWARDEN_PUBLIC_URL/);
  });

  it('says nothing more for a public https URL', () => {
    const lines = setupLines(
      [app('https://business-api.tiktok.com/open_api/v1.3')],
      'https://adwarden.agency.example',
    );
    expect(lines.some((l) => l.startsWith('Warning'))).toBe(false);
  });

  it('hints at /open_api/v1.3 for a base URL without it, instead of a 404 at the first consent', () => {
    const parsed = AppInputSchema.safeParse({
      app_id: '7100000000000000001',
      secret: 's',
      base_url: 'http://127.0.0.1:4610',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe(
      "must end in /open_api/v1.3 (TikTok's API root), e.g. http://127.0.0.1:4610/open_api/v1.3",
    );
    for (const base of ['https://business-api.tiktok.com/open_api/v1.3', 'http://x:1/sandbox/open_api/v1.3/'])
      expect(
        AppInputSchema.safeParse({ app_id: '7100000000000000001', secret: 's', base_url: base }).success,
      ).toBe(true);
  });
});

describe('a port in use', () => {
  it('is ADW_PORT_IN_USE with what to do, not an internal error', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const run = spawnSync(
        process.execPath,
        [
          fileURLToPath(new URL('../../../bin/adwarden.js', import.meta.url)),
          'serve',
          '--port',
          String(port),
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '/tmp',
            ADWARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'adwarden-port-')),
            ADWARDEN_TIKTOK_STATUS_FEED: 'off',
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `adwarden: port ${port} on 127.0.0.1 is already in use .*choose another port with --port or ADWARDEN_PORT \\(ADW_PORT_IN_USE\\)`,
        ),
      );
      expect(run.stderr).not.toMatch(/internal error/);
    } finally {
      holder.close();
    }
  });
});
