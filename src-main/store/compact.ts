/**
 * Which blobs the project still names. Blob names (`ab/ab12….png`) live in many columns and in
 * JSON (cluster history snapshots), so every text value of every table is searched: a blob named
 * anywhere is kept, whatever a later migration adds.
 */
import type { Db } from './db';
import { stmt } from './statements';

const BLOB_NAME = /[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8}/g;

export function referencedBlobNames(db: Db): Set<string> {
  const names = new Set<string>();
  const tables = stmt(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const { name } of tables) {
    // The identifier comes from the schema itself, quoted; nothing from outside reaches it.
    const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw(true).iterate() as IterableIterator<unknown[]>;
    for (const row of rows) {
      for (const v of row) if (typeof v === 'string' && v.includes('/')) for (const m of v.matchAll(BLOB_NAME)) names.add(m[0]);
    }
  }
  return names;
}
