import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireProjectLock, PROJECT_LOCK_FILE, ProjectLockedError, projectLockHolder } from '../../../src-main/io/project-lock';

const work = mkdtempSync(join(tmpdir(), 'gaa-lock-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function projectWithLock(holder: object | string): string {
  const dir = join(work, `p${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, PROJECT_LOCK_FILE), typeof holder === 'string' ? holder : JSON.stringify({ app: 'gaa-workbench project writer', ...holder }));
  return dir;
}

/** A pid that surely belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('the project writer lock', () => {
  it('takes over the lock of a process on this machine that is gone', () => {
    const dir = projectWithLock({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00.000Z', procStart: null });
    expect(projectLockHolder(dir)).toBeNull();
    const lock = acquireProjectLock(dir);
    expect(lock.fresh).toBe(true);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it.runIf(process.platform === 'linux')('tells a reused pid from its first owner by the process start time', () => {
    const dir = projectWithLock({ pid: process.ppid, host: hostname(), since: '2020-01-01T00:00:00.000Z', procStart: '1' });
    const lock = acquireProjectLock(dir);
    expect(lock.fresh).toBe(true);
    lock.release();
  });

  it('refuses while a live process holds it, naming the pid and since when', () => {
    const dir = projectWithLock({ pid: process.ppid, host: hostname(), since: '2024-05-06T07:08:09.000Z', procStart: null });
    expect(() => acquireProjectLock(dir)).toThrow(`project is open in ${process.ppid} since 2024-05-06T07:08:09.000Z`);
    expect(projectLockHolder(dir)?.pid).toBe(process.ppid);
  });

  it('never takes over another machine’s lock, and says how to clear it', () => {
    const dir = projectWithLock({ pid: deadPid(), host: 'other-pc', since: '2024-05-06T07:08:09.000Z', procStart: null });
    let err: unknown;
    try {
      acquireProjectLock(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProjectLockedError);
    expect((err as Error).message).toMatch(/on other-pc since .*delete .*project\.gaa\.lock/);
  });

  it('treats a torn lock file as a writer still starting, and as stale once it is old', () => {
    const dir = projectWithLock('');
    expect(() => acquireProjectLock(dir)).toThrow(ProjectLockedError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, PROJECT_LOCK_FILE), old, old);
    const lock = acquireProjectLock(dir);
    expect(lock.fresh).toBe(true);
    lock.release();
  });

  it('is shared by the engines of one process and removed when the last lets go', () => {
    const dir = join(work, 'shared');
    mkdirSync(dir);
    const a = acquireProjectLock(dir);
    const b = acquireProjectLock(dir);
    expect([a.fresh, b.fresh]).toEqual([true, false]);
    a.release();
    a.release();
    expect(existsSync(a.file)).toBe(true);
    b.release();
    expect(existsSync(a.file)).toBe(false);
  });
});
