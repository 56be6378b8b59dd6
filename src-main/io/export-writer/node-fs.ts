/** The node implementation of ExportFs, and the translation of file-system failures into messages a user can act on. */
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExportError } from '../../core/export/types';
import type { ExportFs } from './types';

export const nodeExportFs: ExportFs = {
  mkdir(dir) {
    return mkdir(dir, { recursive: true });
  },
  async writeFile(file, data) {
    await writeFile(file, data);
  },
  async writeFileSynced(file, data) {
    const handle = await open(file, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async rename(from, to) {
    await rename(from, to);
    // Makes the rename itself durable; folders cannot be opened for sync on Windows, where this is skipped.
    try {
      const dir = await open(path.dirname(to), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      // Best effort only: the export is complete either way.
    }
  },
  async remove(target) {
    await rm(target, { recursive: true, force: true });
  },
  async removeEmptyDir(dir) {
    try {
      await rmdir(dir);
    } catch {
      // Not empty or already gone: either way it is not ours to remove.
    }
  },
  async exists(target) {
    try {
      await lstat(target);
      return true;
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return false;
      throw e;
    }
  },
  async listFolders(dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  },
  link(existing, file) {
    return link(existing, file);
  },
  async readText(file) {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return null;
      throw e;
    }
  },
};

export function codeOf(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export function abortError(): Error {
  const err = new Error('the export was cancelled; nothing was written');
  err.name = 'AbortError';
  return err;
}

/** A write failure under `dir` (the user's destination), as the message the user sees. */
export function describeWriteFailure(e: unknown, dir: string): Error {
  if (e instanceof ExportError || isAbortError(e)) return e as Error;
  const code = codeOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new ExportError('permission-denied', `cannot write to ${dir}: permission denied`, dir);
    case 'EROFS':
      return new ExportError('permission-denied', `cannot write to ${dir}: permission denied (read-only file system)`, dir);
    case 'ENOSPC':
    case 'EDQUOT':
      return new ExportError('disk-full', `the destination disk is full (${dir})`, dir);
    case 'ENOTDIR':
    case 'EEXIST':
      return new ExportError('not-a-folder', `cannot write to ${dir}: it is not a folder`, dir);
    default:
      return new ExportError('write-failed', `cannot write to ${dir}: ${detail}`, dir);
  }
}
