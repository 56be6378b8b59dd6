import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ApiError } from '../api/contract';
import { BlobStore } from '../store/blobs';
import { closeDatabase, openDatabase, PROJECT_DB_FILE, SchemaTooNewError, type Db } from '../store/db';
import { markInterruptedJobs } from '../store/jobs';
import { ensureProjectRow } from '../store/project';

/** An open project: its folder, database and blob store. Only the engine holds one. */
export class ProjectSession {
  private constructor(
    readonly dir: string,
    readonly db: Db,
    readonly blobs: BlobStore,
  ) {}

  static open(dirArg: string, opts: { create: boolean; name?: string }): ProjectSession {
    const dir = resolve(dirArg);
    const dbFile = join(dir, PROJECT_DB_FILE);
    if (!existsSync(dbFile)) {
      if (!opts.create) throw new ApiError('not_found', `${dir} is not a GAA project (no ${PROJECT_DB_FILE} in it)`);
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ApiError('bad_request', `${dir} is a file, not a folder`);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw new ApiError('io', `cannot create project folder ${dir}: ${(err as Error).message}`);
      }
    }
    let db: Db;
    try {
      db = openDatabase(dbFile);
    } catch (err) {
      if (err instanceof SchemaTooNewError) throw new ApiError('conflict', err.message);
      throw new ApiError('io', `cannot open ${dbFile}: ${(err as Error).message}`);
    }
    ensureProjectRow(db, opts.name ?? basename(dir));
    // Whatever was running when the last process died is resumable, not "running".
    markInterruptedJobs(db);
    return new ProjectSession(dir, db, new BlobStore(dir));
  }

  close(): void {
    closeDatabase(this.db);
  }
}
