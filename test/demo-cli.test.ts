import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventually } from './support/webhook-sink.ts';

const BIN = fileURLToPath(new URL('../bin/adwarden.js', import.meta.url));
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

/** Runs the CLI as a person would; `until` ends it with SIGINT once stdout matches. */
function adwarden(args: string[], until?: RegExp) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (until?.test(stdout)) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('adwarden demo', () => {
  it('plays revoked-token to the end and prints a report built from the run', async () => {
    const run = await adwarden([
      'demo',
      '--scenario',
      'revoked-token',
      '--until-done',
      '--json',
      '--speed',
      '10',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({
      scenario: 'revoked-token',
      timed_out: false,
      one_notification_per_event_per_channel: true,
    });
    const auth = report.incidents.filter((i: { kind: string }) => i.kind === 'auth');
    expect(auth).toHaveLength(1);
    expect(auth[0].state).toBe('resolved');
    expect(auth[0].actions.join(' ')).toMatch(/re-auth link was created and sent to the owner/);
    expect(
      report.notifications.map((n: { channel: string; event: string }) => `${n.channel}:${n.event}`).sort(),
    ).toEqual(['slack:opened', 'slack:resolved', 'webhook:opened', 'webhook:resolved']);
    expect(
      report.notifications.every(
        (n: { channel: string; verified: boolean | null }) => n.channel !== 'webhook' || n.verified,
      ),
    ).toBe(true);
    expect(report.api_calls.made).toBeGreaterThanOrEqual(report.api_calls.minimum);
    expect(report.detection_ms.open_p50).toBeGreaterThan(0);
  }, 120_000);

  it('npm start without an app runs the demo with a banner saying so, tells what TikTok does, answers management commands, until Ctrl+C', async () => {
    const env = { ...ENV, ADWARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'adwarden-start-')) };
    const child = spawn(process.execPath, [BIN, 'start'], { env });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await eventually(() => /6 connections monitored/.test(stdout), 'the demo to start', 60_000);
    expect(stdout).toContain('no TikTok app is configured, so this is the demo');
    expect(stdout).toContain('ADWARDEN_TIKTOK_APP_ID');
    expect(stdout).toContain('management commands talk to this demo meanwhile');
    const service = /service\s+(http:\/\/\S+)/.exec(stdout)![1]!;
    // A management command run meanwhile reaches the demo, not an empty data dir.
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const run = spawn(process.execPath, [BIN, ...args], { env });
        let out = '';
        run.stdout.on('data', (chunk) => (out += chunk));
        run.on('close', (code) => resolve({ code, stdout: out }));
      });
    const link = await cli(['users', 'login-link', '--json']);
    expect(link.code).toBe(0);
    expect(JSON.parse(link.stdout).url.startsWith(`${service}/login/link/`)).toBe(true);
    // The scenario's first step (a rejected ad at 10 s of demo time) is told as it plays.
    await eventually(() => /TikTok: rejectAd/.test(stdout), 'the first step to be told', 30_000);
    child.kill('SIGINT');
    expect(await closed).toBe(0);
  }, 90_000);

  it('refuses an unknown scenario with a usage error', async () => {
    const run = await adwarden(['demo', '--scenario', 'no-such-scenario']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a valid scenario[\s\S]*shipped scenarios are revoked-token/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
