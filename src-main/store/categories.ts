import type { Db } from './db';
import { nowIso, stmt } from './statements';

export interface CategoryRow {
  id: number;
  name: string;
  split_seed: number;
  defects_config: string | null;
}

export function upsertCategory(db: Db, name: string, defectsConfig?: unknown): number {
  stmt(db, 'INSERT OR IGNORE INTO categories (name, created_at) VALUES (?, ?)').run(name, nowIso());
  if (defectsConfig !== undefined) {
    stmt(db, 'UPDATE categories SET defects_config = ? WHERE name = ?').run(JSON.stringify(defectsConfig), name);
  }
  return (stmt(db, 'SELECT id FROM categories WHERE name = ?').get(name) as { id: number }).id;
}

export function listCategories(db: Db): CategoryRow[] {
  return stmt(db, 'SELECT id, name, split_seed, defects_config FROM categories ORDER BY name').all() as CategoryRow[];
}

export function getCategory(db: Db, id: number): CategoryRow | undefined {
  return stmt(db, 'SELECT id, name, split_seed, defects_config FROM categories WHERE id = ?').get(id) as CategoryRow | undefined;
}

export function setSplitSeed(db: Db, id: number, seed: number): void {
  stmt(db, 'UPDATE categories SET split_seed = ? WHERE id = ?').run(seed, id);
}
