import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ControlState } from '../../src/emulator/index.ts';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));

/** Starts `adwarden emulator` in its own process, so it never shares the benchmark's event loop. */
export async function startEmulatorProcess(args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--seed', 'demo', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  let banner = '';
  while (!/listening on (http:\/\/\S+)/.test(banner)) {
    const [chunk] = (await once(child.stdout, 'data')) as [string];
    banner += chunk;
  }
  const origin = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
  const control = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const response = await fetch(`${origin}/__control${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as T;
  };
  const state = await control<ControlState>('/state');
  const app = state.apps.find((a) => a.environment === 'production')!;
  const token = state.tokens.find((t) => t.environment === 'production' && t.regime === 'advertiser')!;
  return {
    origin,
    url: `${origin}/open_api/v1.3`,
    app,
    token,
    control,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Runs `task` from `concurrency` workers until `total` calls are done; returns calls per second. */
export async function drive(total: number, concurrency: number, task: () => Promise<unknown>) {
  let started = 0;
  let failed = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started += 1;
        try {
          await task();
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  return { rps: total / seconds, failed, seconds };
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
