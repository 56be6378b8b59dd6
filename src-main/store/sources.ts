import type { Db } from './db';
import { nowIso, stmt } from './statements';

/** The imported dataset folder's row (one per root; a re-import of the same folder reuses it). */
export function upsertSource(db: Db, root: string, layout: string): number {
  const row = stmt(db, 'SELECT id FROM sources WHERE root = ?').get(root) as { id: number } | undefined;
  if (row) return row.id;
  return Number(stmt(db, 'INSERT INTO sources (root, layout, created_at) VALUES (?, ?, ?)').run(root, layout, nowIso()).lastInsertRowid);
}
