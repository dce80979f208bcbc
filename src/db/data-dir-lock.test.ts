import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, readLockHolder } from './data-dir-lock.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'adwarden-lock-'));

describe('lockDataDir', () => {
  it('refuses a data dir that is a file, or below one, with a clear ADW_ error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'adwarden-lock-')), 'not-a-folder');
    writeFileSync(file, 'x');
    for (const dir of [file, join(file, 'below')])
      expect(() => lockDataDir(dir, 'test')).toThrow(
        expect.objectContaining({
          code: 'ADW_DATA_DIR_NOT_A_DIR',
          message: expect.stringMatching(/is a file/),
        }),
      );
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a second holder and names the first', () => {
    const dataDir = dir();
    const lock = lockDataDir(dataDir, 'serve');
    lock.setUrl('http://127.0.0.1:7420');
    let error: unknown;
    try {
      lockDataDir(dataDir, 'migrate');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toMatch(
      new RegExp(`"adwarden serve" \\(pid ${process.pid}.*serving http://127.0.0.1:7420`),
    );
    expect(readLockHolder(dataDir)).toMatchObject({
      pid: process.pid,
      command: 'serve',
      url: 'http://127.0.0.1:7420',
    });
    lock.release();
    expect(readLockHolder(dataDir)).toBeNull();
    lockDataDir(dataDir, 'migrate').release();
  });

  it('takes over a lock left by a process that is gone, or a half-written one', async () => {
    const dataDir = dir();
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(
      join(dataDir, 'adwarden.lock'),
      JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), command: 'serve' }),
    );
    expect(readLockHolder(dataDir)).toBeNull();
    const lock = lockDataDir(dataDir, 'serve');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    writeFileSync(join(dataDir, 'adwarden.lock'), '{"pid":');
    lockDataDir(dataDir, 'serve').release();
  });
});
