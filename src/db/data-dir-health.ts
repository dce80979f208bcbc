import { statfsSync } from 'node:fs';

/** Below this much free space adwarden stops writing to the data dir rather than fail halfway. */
export const MIN_FREE_BYTES = 32 * 1024 * 1024;

/**
 * The data dir cannot be written: read-only (`ADW_DATA_DIR_READ_ONLY`: a read-only mount, or
 * permissions) or full (`ADW_DATA_DIR_FULL`). Nothing was changed by the operation that met it.
 */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
  readonly code: 'ADW_DATA_DIR_READ_ONLY' | 'ADW_DATA_DIR_FULL' | 'ADW_DATA_DIR_NOT_A_DIR';
  readonly dataDir: string;

  constructor(code: DataDirError['code'], dataDir: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.code = code;
    this.dataDir = dataDir;
  }
}

const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);
const FULL = new Set(['ENOSPC', 'EDQUOT']);
const mb = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MB`;

/** A full-disk error from the filesystem or from PostgreSQL (SQLSTATE 53100 disk_full). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && FULL.has(code)) ||
    code === '53100' ||
    /No space left on device/i.test(String((error as Error | null)?.message ?? ''))
  );
}

/**
 * What a failed write to the data dir means for a person: a DataDirError saying what to do for a
 * read-only or full data dir, or the error itself for anything else.
 */
export function dataDirProblem(dataDir: string, error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  if (READ_ONLY.has(code))
    return new DataDirError(
      'ADW_DATA_DIR_READ_ONLY',
      dataDir,
      `the data dir ${dataDir} cannot be written (${code}) while ${doing}. adwarden keeps its database, key file and lock there: make it writable (a read-only mount, or permissions), or set ADWARDEN_DATA_DIR to a writable folder. Nothing was changed.`,
      error,
    );
  if (isDiskFull(error)) return fullError(dataDir, freeBytes(dataDir), doing, error);
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return new DataDirError(
      'ADW_DATA_DIR_NOT_A_DIR',
      dataDir,
      `the data dir ${dataDir} is a file (or a path through one), not a folder, while ${doing}. Set ADWARDEN_DATA_DIR to a folder (it is created if missing), or move the file away. Nothing was changed.`,
      error,
    );
  if (code === 'ENOENT')
    return new DataDirError(
      'ADW_DATA_DIR_NOT_A_DIR',
      dataDir,
      `the data dir ${dataDir} cannot be created (${code}: a missing mount, or a path that does not exist) while ${doing}. Mount the volume, or set ADWARDEN_DATA_DIR to a folder that can be created. Nothing was changed.`,
      error,
    );
  return error;
}

/** Free bytes on the filesystem holding `dir` (for an unprivileged process), or null when unknown. */
export function freeBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

/** A DataDirError when the data dir has less than MIN_FREE_BYTES free; null when there is room. */
export function checkFreeSpace(dataDir: string, doing: string): DataDirError | null {
  const free = freeBytes(dataDir);
  return free !== null && free < MIN_FREE_BYTES ? fullError(dataDir, free, doing) : null;
}

function fullError(dataDir: string, free: number | null, doing: string, cause?: unknown): DataDirError {
  return new DataDirError(
    'ADW_DATA_DIR_FULL',
    dataDir,
    `the data dir ${dataDir} is full (${free === null ? 'no space left' : `${mb(free)} free, adwarden needs at least ${mb(MIN_FREE_BYTES)}`}) while ${doing}. Free some space on that filesystem or move the data dir; adwarden wrote nothing half-way and carries on once there is room.`,
    cause,
  );
}
