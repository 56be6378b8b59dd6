import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';

export type Db = Database.Database;

export const PROJECT_DB_FILE = 'project.gaa.sqlite';

export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super(
      `${file} was written by a newer GAA Workbench (schema version ${found}; this version understands up to ${LATEST_SCHEMA_VERSION}). ` +
        'Update the app to open it; the file was not changed.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Opens (creating if needed) a project database and brings it to the latest schema.
 * WAL + synchronous=FULL: project data survives a power cut; foreign keys keep masks
 * and errors attached to their images.
 */
export function openDatabase(file: string, opts: { readonly?: boolean; targetVersion?: number } = {}): Db {
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file, opts.targetVersion ?? LATEST_SCHEMA_VERSION);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, file: string, target: number): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(file, current);
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.up);
      // PRAGMA cannot take bound parameters; the version is our own integer constant.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    })();
  }
}

export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    if (!db.readonly) db.pragma('optimize');
  } finally {
    db.close();
  }
}
