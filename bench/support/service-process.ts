import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));

/** Memory figures of one process, in MB, from /proc/<pid>/status. */
export interface ProcessMemory {
  /** Resident set size now. */
  rss: number;
  /** Peak resident set size since the process started. */
  peak: number;
  /** Resident anonymous memory (heap, WASM memory, compiled code). */
  anon: number;
}

/** Reads a process's memory from /proc; null once it has exited. */
export function processMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  const mb = (value: number) => Math.round(value / 1024);
  return { rss: mb(kb('VmRSS')), peak: mb(kb('VmHWM')), anon: mb(kb('RssAnon')) };
}

/**
 * Starts `adwarden <args>` as its own process and resolves once a line of its standard output matches
 * `ready`; the output seen so far is kept for error messages.
 */
export async function startServiceProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  options: { entry?: string; nodeArgs?: string[] } = {},
) {
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.entry ?? BIN, ...args],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output.push(chunk);
      const found = ready.exec(output.join(''));
      if (found) resolve(found);
    });
    child.stderr!.on('data', (chunk: string) => output.push(chunk));
    child.once('exit', (code, signal) =>
      reject(
        new Error(`adwarden ${args[0]} exited (${code ?? signal}) before it was ready:\n${output.join('')}`),
      ),
    );
  });
  return {
    child,
    pid: child.pid!,
    match,
    output: () => output.join(''),
    /** Stops the process (SIGTERM, then SIGKILL after `graceMs`). */
    async stop(graceMs = 15_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
