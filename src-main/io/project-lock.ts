/**
 * One writer per project: a lock file in the project folder naming the process that writes it
 * (pid, host, that process's start time). A second process that wants to write is refused with
 * who holds it; a lock whose process is gone (killed, crashed) is stale and taken over, and only
 * then are the jobs it was running marked interrupted. Several engines of one process (the CLI
 * in a test, a web host) share the process's hold.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const PROJECT_LOCK_FILE = 'project.gaa.lock';
const LOCK_APP = 'gaa-workbench project writer';
/** A lock file that is still empty or unreadable after this long was left by a process killed while writing it. */
const TORN_LOCK_MS = 10_000;

export interface ProjectLockHolder {
  app: typeof LOCK_APP;
  pid: number;
  host: string;
  /** When the holding process opened the project. */
  since: string;
  /** The holding process's start, in clock ticks since boot (Linux; tells a reused pid apart). */
  procStart: string | null;
}

/** The project is open for writing in another process. `code` maps to the contract's conflict. */
export class ProjectLockedError extends Error {
  readonly code = 'conflict';
  constructor(
    readonly holder: ProjectLockHolder,
    readonly dir: string,
  ) {
    const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
    super(
      `project is open in ${holder.pid}${where} since ${holder.since} (${dir}): close it there first` +
        (where ? `; if that process is gone, delete ${path.join(dir, PROJECT_LOCK_FILE)}` : ''),
    );
    this.name = 'ProjectLockedError';
  }
}

export interface ProjectLock {
  readonly file: string;
  /** True when this process took the lock afresh: whatever the store says is running belonged to a writer that is gone. */
  readonly fresh: boolean;
  release(): void;
}

interface Held {
  count: number;
  content: string;
}

/** This process's holds, by lock file. */
const held = new Map<string, Held>();

function errCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Field 22 of /proc/<pid>/stat: the process's start time in ticks since boot; null off Linux or when unreadable. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function processAlive(pid: number, procStart: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if (errCode(e) !== 'EPERM') return false;
  }
  if (procStart !== null) {
    const now = processStart(pid);
    if (now !== null && now !== procStart) return false; // the pid was reused by another process
  }
  return true;
}

function parseHolder(text: string): ProjectLockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<ProjectLockHolder> | null;
    if (h && h.app === LOCK_APP && Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.since === 'string') {
      return { ...h, procStart: typeof h.procStart === 'string' ? h.procStart : null } as ProjectLockHolder;
    }
  } catch {
    // Torn or foreign.
  }
  return null;
}

/** Who holds the project's lock now, or null when nobody alive does. */
export function projectLockHolder(dir: string): ProjectLockHolder | null {
  const file = path.join(dir, PROJECT_LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const h = parseHolder(text);
  if (!h) return null;
  if (h.host === hostname() && !processAlive(h.pid, h.procStart)) return null;
  return h;
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Whether the lock file holding `text` was left by a writer that is gone. */
function isStale(file: string, text: string): boolean {
  const h = parseHolder(text);
  if (!h) {
    try {
      return Date.now() - statSync(file).mtimeMs > TORN_LOCK_MS;
    } catch {
      return true;
    }
  }
  // Another machine's process cannot be checked from here: it is live until someone says otherwise.
  return h.host === hostname() && !(h.pid === process.pid ? held.has(file) : processAlive(h.pid, h.procStart));
}

/**
 * Takes the project's writer lock (the folder must exist). Throws ProjectLockedError while
 * another live process holds it.
 */
export function acquireProjectLock(dir: string): ProjectLock {
  const file = path.join(dir, PROJECT_LOCK_FILE);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return handle(file, false);
  }
  const holder: ProjectLockHolder = {
    app: LOCK_APP,
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    procStart: processStart(process.pid),
  };
  const content = JSON.stringify(holder) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, content)) {
      held.set(file, { count: 1, content });
      return handle(file, true);
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (errCode(e) === 'ENOENT') continue; // released meanwhile
      throw e;
    }
    if (!isStale(file, text)) {
      const h = parseHolder(text);
      throw new ProjectLockedError(h ?? { ...holder, pid: -1, since: 'an unknown time' }, dir);
    }
    // Taken over by renaming it aside, then checking that what moved is the stale lock read above:
    // two processes that both found it stale cannot both take it.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch (e) {
      if (errCode(e) === 'ENOENT') continue;
      throw e;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== text) {
      // Another process took it over between our read and our rename: give it back.
      try {
        renameSync(aside, file);
      } catch {
        // It is gone or replaced again: the next attempt sees which.
      }
      continue;
    }
    unlinkSync(aside);
  }
  const h = parseHolder(readFileSync(file, 'utf8'));
  throw new ProjectLockedError(h ?? { ...holder, pid: -1, since: 'an unknown time' }, dir);
}

function handle(file: string, fresh: boolean): ProjectLock {
  let released = false;
  return {
    file,
    fresh,
    release() {
      if (released) return;
      released = true;
      const mine = held.get(file);
      if (!mine || --mine.count > 0) return;
      held.delete(file);
      try {
        // Only our own lock: never one a process took over after ours was judged stale.
        if (readFileSync(file, 'utf8') === mine.content) unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}
