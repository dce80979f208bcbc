import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dataDirProblem } from './data-dir-health.ts';

/** Who holds a data dir: written into its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  /** The holder's HTTP address once it listens; management commands talk to it there. */
  url: string | null;
}

/** Another live process holds the data dir. `code` is `ADW_DATA_DIR_LOCKED`. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly code = 'ADW_DATA_DIR_LOCKED';
  readonly holder: LockHolder;

  constructor(dataDir: string, holder: LockHolder) {
    super(
      `the data dir ${dataDir} is in use by "adwarden ${holder.command}" (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}${holder.url ? `, serving ${holder.url}` : ''}). ` +
        'One process per data dir: stop that process first, or run management commands, which talk to the running service.',
    );
    this.holder = holder;
  }
}

/** A held lock. */
export interface DataDirLock {
  readonly path: string;
  /** Records the address the holder serves on. */
  setUrl(url: string): void;
  release(): void;
}

const LOCK_FILE = 'adwarden.lock';

/** The current holder of a data dir, or null when it is free (a lock left by a dead process counts as free). */
export function readLockHolder(dataDir: string): LockHolder | null {
  const holder = parseHolder(join(dataDir, LOCK_FILE));
  return holder && isAlive(holder) ? holder : null;
}

/**
 * Takes the data dir for this process (an exclusive lock file naming the holder). A lock left by a
 * process that is gone is taken over.
 * @throws DataDirLockedError when a live process holds it; DataDirError when the data dir is read-only or full.
 */
export function lockDataDir(dataDir: string, command: string): DataDirLock {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw dataDirProblem(dataDir, error, 'creating it');
  }
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
    url: null,
  };
  for (let attempt = 0; ; attempt++) {
    let fd: number | null = null;
    try {
      fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      break;
    } catch (error) {
      if (fd !== null) {
        // Created but not written (a full disk): leave no empty lock behind.
        closeSync(fd);
        removeIfPresent(path);
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0)
        throw dataDirProblem(dataDir, error, 'taking the data dir lock');
      const current = parseHolder(path);
      if (current && isAlive(current)) throw new DataDirLockedError(dataDir, current);
      removeIfPresent(path);
    }
  }
  const onExit = () => release();
  process.once('exit', onExit);
  let released = false;
  function release(): void {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    if (parseHolder(path)?.pid === process.pid) removeIfPresent(path);
  }
  return {
    path,
    setUrl(url) {
      holder.url = url;
      // Beside, then renamed over: a failed write (a full disk) never leaves an empty lock that another
      // process would take for a stale one. The URL is a convenience; without it the lock still holds.
      const next = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(next, JSON.stringify(holder), { mode: 0o600 });
        renameSync(next, path);
      } catch {
        try {
          removeIfPresent(next);
        } catch {}
      }
    },
    release,
  };
}

function parseHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? 'unknown host'),
      command: String(parsed.command ?? 'unknown'),
      startedAt: String(parsed.startedAt ?? 'unknown time'),
      url: typeof parsed.url === 'string' ? parsed.url : null,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A half-written lock (the holder crashed mid-write) names nobody: treat it as stale.
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  // A pid from another machine (shared folder) cannot be checked: assume it is alive.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
