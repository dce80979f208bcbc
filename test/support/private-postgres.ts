import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server of the test's own (not the machine's), which the test may stop, crash and restart. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the server: `fast` (clean shutdown) or `immediate` (a crash: recovery runs at the next start). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): void;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): string;
  /** Stops the server and deletes its files. */
  destroy(): void;
}

/** The newest installed PostgreSQL's programs, or null. */
function binDir(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {}
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return null;
}

/** `runuser` is in /usr/sbin, which a minimal PATH (a CI runner's, say) may leave out. */
function findRunuser(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) if (dir && existsSync(join(dir, 'runuser'))) return join(dir, 'runuser');
  return null;
}

/** A TCP port nothing listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * initdb + pg_ctl in a temporary folder, on a free port, trust auth. As root the server runs as the
 * `postgres` user (PostgreSQL refuses root). Returns why not when the programs are missing.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | { skipped: string }> {
  const bin = binDir();
  if (!bin) return { skipped: 'no PostgreSQL server programs (initdb, pg_ctl) on this machine' };
  const root = process.getuid?.() === 0;
  const runuser = root ? findRunuser() : null;
  if (root && !runuser)
    return { skipped: 'running as root, and runuser (util-linux) is missing to run PostgreSQL as postgres' };
  const dir = mkdtempSync(join(tmpdir(), 'adwarden-pg-'));
  const data = join(dir, 'data');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) =>
    execFileSync(
      runuser ?? join(bin, program),
      runuser ? ['-u', 'postgres', '--', join(bin, program), ...args] : args,
      {
        stdio: 'pipe',
        encoding: 'utf8',
        timeout: 60_000,
        cwd: dir,
      },
    );
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', mode, 'stop']);
    },
    start,
    createDatabase(name) {
      run('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-c',
        `create database ${name}`,
      ]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
