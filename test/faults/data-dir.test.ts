import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess } from '../../bench/support/service-process.ts';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { startEmulator } from '../emulator/helpers.ts';
import { adoptEmulatorTokens } from '../support/adopt.ts';
import { allFiles } from '../support/files.ts';
import { trial } from '../support/trials.ts';
import { eventually } from '../support/webhook-sink.ts';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));
const isRoot = process.getuid?.() === 0;

/** Runs `adwarden <args>` to its end (stdin closed); its exit code and output. */
function adwarden(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Every file of a folder with its size and SHA-256: what "nothing changed" is checked against. */
const fingerprint = (dir: string) =>
  Object.fromEntries(
    allFiles(dir).map((f) => [
      f.path,
      `${f.bytes.length}:${createHash('sha256').update(f.bytes).digest('hex')}`,
    ]),
  );

/** An install with an app and three connections to the emulator, prepared in this process, then closed. */
async function prepare(dataDir: string, tiktok: Awaited<ReturnType<typeof startEmulator>>) {
  const services = await createServices(loadConfig({ env: { ADWARDEN_DATA_DIR: dataDir } }), {
    command: 'test',
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await adoptEmulatorTokens(services, tiktok, 3);
  } finally {
    await services.close();
  }
}

/** Fills the filesystem of `dir` with a ballast file until about `leaveBytes` are left. */
function fill(dir: string, leaveBytes: number): string {
  const ballast = join(dir, 'ballast');
  const fd = openSync(ballast, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(dir);
      if (Number(bavail) * Number(bsize) <= leaveBytes + chunk.length) break;
      writeSync(fd, chunk);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return ballast;
}

describe('a data dir that cannot be written', () => {
  let tiktok: Awaited<ReturnType<typeof startEmulator>>;
  const mounts: string[] = [];

  beforeAll(async () => {
    tiktok = await startEmulator();
  });
  afterAll(async () => {
    for (const mount of mounts.reverse()) {
      try {
        execFileSync('umount', [mount]);
      } catch {}
    }
    await tiktok?.emulator.close();
  });

  it('refuses to start on a read-only data dir with a clear error, and changes nothing', async (context) => {
    const t = trial('faults', {
      area: 'Data dir',
      tried: 'serve, worker, migrate and two management commands on a data dir mounted read-only',
      expected:
        'each exits 1 with ADW_DATA_DIR_READ_ONLY naming the folder and what to do, no stack trace; every file byte-identical afterwards; the service starts normally once writable',
    });
    const root = mkdtempSync(join(tmpdir(), 'adwarden-ro-'));
    const dataDir = join(root, 'data');
    await prepare(dataDir, tiktok);
    const env = { ADWARDEN_DATA_DIR: dataDir, ADWARDEN_LOG_LEVEL: 'warn' };
    const before = fingerprint(dataDir);
    if (isRoot) {
      execFileSync('mount', ['--bind', dataDir, dataDir]);
      mounts.push(dataDir);
      execFileSync('mount', ['-o', 'remount,ro,bind', dataDir]);
    } else {
      execFileSync('chmod', ['-R', 'a-w', dataDir]);
      if (statSync(dataDir).mode & 0o200) context.skip('cannot make the data dir read-only here');
    }
    const commands = [
      ['serve', '--port', '0'],
      ['worker'],
      ['migrate'],
      ['apps', 'list'],
      ['connections', 'list'],
    ];
    try {
      for (const args of commands) {
        const { code, out } = await adwarden(args, env);
        expect(code, `${args.join(' ')}: ${out}`).toBe(1);
        expect(out, args.join(' ')).toContain('ADW_DATA_DIR_READ_ONLY');
        expect(out).toContain(dataDir);
        expect(out).toContain('Nothing was changed');
        expect(out).not.toMatch(/internal error|\n\s+at /);
      }
    } finally {
      if (isRoot) {
        execFileSync('umount', [dataDir]);
        mounts.pop();
      } else execFileSync('chmod', ['-R', 'u+w', dataDir]);
    }
    expect(fingerprint(dataDir)).toEqual(before);
    t.times(commands.length);
    const again = await adwarden(['apps', 'list'], env);
    expect(again.code).toBe(0);
    expect(again.out).toContain(tiktok.production.app_id);
    t.figures({ files_compared: Object.keys(before).length, commands: commands.length });
    rmSync(root, { recursive: true, force: true });
  }, 180_000);

  it('refuses to start on a full disk, pauses a running service when the disk fills, and carries on when there is room', async (context) => {
    const t = trial('faults', {
      area: 'Data dir',
      tried:
        'a data dir on a 160 MB filesystem filled to the last megabyte: first before serve starts, then under a running service sweeping every second',
      expected:
        'serve refuses to start with ADW_DATA_DIR_FULL and changes nothing; the running service logs one ADW_DATA_DIR_FULL error, answers /readyz 503 and keeps running; once space is freed it is ready again and sweeps on; no data lost',
    });
    if (!isRoot) context.skip('needs root to mount a small filesystem');
    const root = mkdtempSync(join(tmpdir(), 'adwarden-full-'));
    mkdirSync(root, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', root]);
    mounts.push(root);
    const dataDir = join(root, 'data');
    await prepare(dataDir, tiktok);
    const env = { ADWARDEN_DATA_DIR: dataDir, ADWARDEN_LOG_LEVEL: 'info', ADWARDEN_SWEEP_INTERVAL: '1s' };

    // Full before the start: refused, nothing touched.
    let ballast = fill(root, 1024 * 1024);
    const before = fingerprint(dataDir);
    const refused = await adwarden(['serve', '--port', '0'], env);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain('ADW_DATA_DIR_FULL');
    expect(refused.out).toContain('Free some space');
    expect(refused.out).not.toMatch(/internal error|\n\s+at /);
    expect(fingerprint(dataDir)).toEqual(before);
    rmSync(ballast);

    // Full under a running service.
    const service = await startServiceProcess(['serve', '--port', '0'], env, /adwarden is serving at (\S+)/);
    const url = service.match[1]!;
    try {
      const lastCheck = async () => {
        const response = await fetch(`${url}/readyz`);
        return response.status;
      };
      await eventually(async () => (await lastCheck()) === 200, 'ready');
      ballast = fill(root, 1024 * 1024);
      const filledAt = Date.now();
      const notReady = await eventually(async () => {
        const response = await fetch(`${url}/readyz`);
        return response.status === 503 ? ((await response.json()) as { code: string; reason: string }) : null;
      }, '/readyz to say the disk is full');
      expect(notReady.code).toBe('ADW_DATA_DIR_FULL');
      await eventually(() => /"code":"ADW_DATA_DIR_FULL"/.test(service.output()), 'the error logged', 15_000);
      // Keep it full for a few sweeps: the process stays up and logs the condition once.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(service.child.exitCode).toBeNull();
      expect(service.output().match(/"code":"ADW_DATA_DIR_FULL"/g)).toHaveLength(1);
      rmSync(ballast);
      const freedAt = Date.now();
      await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 'ready again', 15_000);
      await eventually(() => /the monitor resumes/.test(service.output()), 'the monitor to resume', 15_000);
      t.figures({
        full_for_seconds: Math.round((freedAt - filledAt) / 1000),
        recovered_within_ms: Date.now() - freedAt,
      });
    } finally {
      await service.stop();
    }
    expect(service.child.exitCode).toBe(0);
    expect(service.output()).not.toMatch(/internal error|uncaught|unhandled/i);

    // Nothing lost: the install opens, with its app and its three connections, and checks them.
    const listed = await adwarden(['connections', 'list', '--json'], { ADWARDEN_DATA_DIR: dataDir });
    expect(listed.code, listed.out).toBe(0);
    expect(JSON.parse(listed.out)).toHaveLength(3);
    execFileSync('umount', [root]);
    mounts.pop();
  }, 240_000);
});
