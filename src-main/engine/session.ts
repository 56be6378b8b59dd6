import { promises as fsp } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ApiError } from '../api/contract';
import { makeFolders, refusePseudoFilesystem } from '../io/folders';
import { acquireProjectLock, type ProjectLock } from '../io/project-lock';
import { BlobStore } from '../store/blobs';
import { closeDatabase, openDatabase, PROJECT_DB_FILE, SchemaTooNewError, type Db } from '../store/db';
import { markInterruptedJobs } from '../store/jobs';
import { ensureProjectRow } from '../store/project';

export interface OpenOptions {
  create: boolean;
  name?: string;
  /** Reads only: no writer lock is taken, so it works while another process writes the project. */
  readOnly?: boolean;
}

/** An open project: its folder, database and blob store. Only the engine holds one. */
export class ProjectSession {
  private constructor(
    readonly dir: string,
    readonly db: Db,
    readonly blobs: BlobStore,
    private readonly lock: ProjectLock | null,
  ) {}

  get readOnly(): boolean {
    return this.lock === null;
  }

  static async open(dirArg: string, opts: OpenOptions): Promise<ProjectSession> {
    const dir = resolve(dirArg);
    const dbFile = join(dir, PROJECT_DB_FILE);
    await refusePseudoFilesystem(dir);
    const dirStat = await fsp.stat(dir).catch(() => null);
    const exists = await fsp.stat(dbFile).then(
      () => true,
      () => false,
    );
    if (!exists) {
      if (!opts.create || opts.readOnly) throw new ApiError('not_found', `${dir} is not a GAA project (no ${PROJECT_DB_FILE} in it)`);
      if (dirStat && !dirStat.isDirectory()) throw new ApiError('bad_request', `${dir} is a file, not a folder`);
      try {
        await makeFolders(dir);
      } catch (err) {
        throw new ApiError('io', `cannot create project folder ${dir}: ${(err as Error).message}`);
      }
    }
    if (opts.readOnly) return new ProjectSession(dir, openDb(dbFile, true), new BlobStore(dir), null);
    const lock = acquireProjectLock(dir);
    let db: Db;
    try {
      db = openDb(dbFile, false);
    } catch (err) {
      lock.release();
      throw err;
    }
    ensureProjectRow(db, opts.name ?? basename(dir));
    // Whatever was running when the last writer died is resumable, not "running"; a job of a
    // writer that still runs (another engine of this process) is left alone.
    if (lock.fresh) markInterruptedJobs(db);
    return new ProjectSession(dir, db, new BlobStore(dir), lock);
  }

  close(): void {
    try {
      closeDatabase(this.db);
    } finally {
      this.lock?.release();
    }
  }
}

function openDb(dbFile: string, readonly: boolean): Db {
  try {
    return openDatabase(dbFile, { readonly });
  } catch (err) {
    if (err instanceof SchemaTooNewError) throw new ApiError('conflict', err.message);
    throw new ApiError('io', `cannot open ${dbFile}: ${(err as Error).message}`);
  }
}
