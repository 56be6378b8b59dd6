/**
 * The temporary folder an export is written into before it is renamed into place
 * (METHOD.md §6: an interrupted export never leaves a half folder behind), and the sweep of
 * such folders left by an export whose process was killed before it could clean up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { abortError, codeOf } from './node-fs';
import type { ExportFs } from './types';

/**
 * Written first into every staging folder and removed right after the rename: the sweep only
 * ever deletes folders that carry it, so nothing a user made can match by name alone.
 */
export const STAGING_MARKER = '.gaa-export-staging.json';
/** `.<export name>.partial-<8 hex digits>`, the name `stagingFolderName` gives. */
const STAGING_FOLDER = /^\..+\.partial-[0-9a-f]{8}$/;
const MARKER_APP = 'gaa-workbench export';

interface StagingMarker {
  app: typeof MARKER_APP;
  pid: number;
  host: string;
  startedAt: string;
}

/** Staging folders this process is writing right now: never swept, whatever their marker says. */
const active = new Set<string>();

export function stagingFolderName(exportName: string, suffix: string): string {
  return `.${exportName}.partial-${suffix}`;
}

/**
 * Files at least this large are written once per content and linked after: the real pairs'
 * repeated copies (export share 0.5: up to 32 of each) and the same image in several formats
 * would otherwise cost hundreds of MB per category.
 */
const LINK_AT_BYTES = 4096;

export class Staging {
  private readonly madeDirs = new Set<string>();
  private done = 0;
  /** First file written with each content (SHA-1 and length), for hard links to it. */
  private readonly byContent = new Map<string, string>();
  /** Cleared by the first failed link (FAT/exFAT drives, some network shares): plain copies from then on. */
  private canLink = true;

  /** A staging folder already made by the caller, without the marker (so never swept); exports use `create`. */
  constructor(
    /** Absolute path of the temporary folder. */
    readonly dir: string,
    private readonly fs: ExportFs,
    private readonly total: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((done: number, total: number) => void) | undefined,
  ) {}

  /** Creates the folder with its marker; `release` must follow, whatever the outcome. */
  static async create(
    dir: string,
    fs: ExportFs,
    total: number,
    signal: AbortSignal | undefined,
    onProgress: ((done: number, total: number) => void) | undefined,
  ): Promise<Staging> {
    active.add(dir);
    try {
      await fs.mkdir(dir);
      const marker: StagingMarker = { app: MARKER_APP, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      await fs.writeFile(path.join(dir, STAGING_MARKER), JSON.stringify(marker) + '\n');
    } catch (e) {
      active.delete(dir);
      await fs.remove(dir).catch(() => undefined);
      throw e;
    }
    return new Staging(dir, fs, total, signal, onProgress);
  }

  get filesWritten(): number {
    return this.done;
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError();
  }

  /** Writes `rel` (forward slashes, relative to the export root); `synced` fsyncs it before returning. */
  async write(rel: string, data: Buffer | string, synced = false): Promise<void> {
    this.throwIfAborted();
    const file = path.join(this.dir, ...rel.split('/'));
    const parent = path.dirname(file);
    if (!this.madeDirs.has(parent)) {
      await this.fs.mkdir(parent);
      this.madeDirs.add(parent);
    }
    if (synced) await this.fs.writeFileSynced(file, data);
    else if (!(await this.linkSame(file, data))) await this.fs.writeFile(file, data);
    this.done++;
    this.onProgress?.(this.done, this.total);
  }

  /** Links `file` to an earlier file of the same bytes; false when it must be written instead. */
  private async linkSame(file: string, data: Buffer | string): Promise<boolean> {
    if (!this.canLink || typeof data === 'string' || data.length < LINK_AT_BYTES) return false;
    const key = `${createHash('sha1').update(data).digest('hex')}:${data.length}`;
    const first = this.byContent.get(key);
    if (first === undefined) {
      this.byContent.set(key, file);
      return false;
    }
    try {
      await this.fs.link(first, file);
      return true;
    } catch {
      this.canLink = false;
      return false;
    }
  }

  release(): void {
    active.delete(this.dir);
  }
}

export interface StagedWrite<T> {
  fs: ExportFs;
  /** Absolute destination folder, which must already exist. */
  outDir: string;
  /** The finished folder's name inside `outDir`. */
  name: string;
  /** Files `write` will write, for progress. */
  total: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The error for a destination name already taken, before or while writing. */
  alreadyExists(): Error;
  /** Fills the staging folder. */
  write(staging: Staging): Promise<T>;
}

/**
 * Writes `<outDir>/<name>` the way every export does: into a marked staging folder beside it,
 * renamed into place only once complete. On any failure or abort the staging folder is removed
 * and the error is thrown as it came (the caller describes it and undoes what it created).
 * @returns the finished folder, the number of files written and what `write` returned
 */
export async function writeStaged<T>(w: StagedWrite<T>): Promise<{ root: string; files: number; written: T }> {
  const root = path.join(w.outDir, w.name);
  if (await w.fs.exists(root)) throw w.alreadyExists();
  const stagingDir = path.join(w.outDir, stagingFolderName(w.name, randomBytes(4).toString('hex')));
  let staging: Staging | null = null;
  try {
    staging = await Staging.create(stagingDir, w.fs, w.total, w.signal, w.onProgress);
    const written = await w.write(staging);
    staging.throwIfAborted();
    // rename(2) silently replaces an empty folder, so a name taken while we wrote is checked again.
    if (await w.fs.exists(root)) throw w.alreadyExists();
    try {
      await w.fs.rename(stagingDir, root);
    } catch (e) {
      const code = codeOf(e);
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw w.alreadyExists();
      throw e;
    }
    // The marker goes only after the rename: a kill at any moment before it leaves a marked
    // staging folder the next export sweeps; a kill just after leaves a complete export with one
    // hidden marker file in it, never an unmarked half folder.
    await w.fs.remove(path.join(root, STAGING_MARKER)).catch(() => undefined);
    return { root, files: staging.filesWritten, written };
  } catch (e) {
    if (staging) await w.fs.remove(staging.dir).catch(() => undefined);
    throw e;
  } finally {
    staging?.release();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return codeOf(e) === 'EPERM';
  }
}

function parseMarker(text: string | null): StagingMarker | null {
  if (text === null) return null;
  try {
    const m = JSON.parse(text) as Partial<StagingMarker> | null;
    if (m && m.app === MARKER_APP && Number.isInteger(m.pid) && typeof m.host === 'string') return m as StagingMarker;
  } catch {
    // Not our marker.
  }
  return null;
}

/**
 * Removes the staging folders in `outDir` that an export killed mid-way left behind: only
 * folders named like ours that hold our marker, written on this machine by a process that no
 * longer runs (or by this process, for a folder it is not writing). A folder of a live export
 * elsewhere, of another machine sharing the destination, or anything without the marker stays.
 * Best effort: a folder that cannot be read or removed is left as it is.
 * @returns absolute paths of the folders removed
 */
export async function sweepAbandonedStaging(fs: ExportFs, outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.listFolders(outDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!STAGING_FOLDER.test(name)) continue;
    const dir = path.join(outDir, name);
    if (active.has(dir)) continue;
    try {
      const marker = parseMarker(await fs.readText(path.join(dir, STAGING_MARKER)));
      if (!marker || marker.host !== hostname()) continue;
      if (marker.pid !== process.pid && processAlive(marker.pid)) continue;
      await fs.remove(dir);
      removed.push(dir);
    } catch {
      // Unreadable or not removable: not ours to force.
    }
  }
  return removed;
}
