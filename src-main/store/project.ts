import type { Db } from './db';
import { nowIso, stmt } from './statements';

export function getProjectName(db: Db): string | null {
  const row = stmt(db, 'SELECT name FROM project WHERE id = 1').get() as { name: string } | undefined;
  return row?.name ?? null;
}

export function ensureProjectRow(db: Db, name: string): void {
  stmt(db, 'INSERT OR IGNORE INTO project (id, name, created_at) VALUES (1, ?, ?)').run(name, nowIso());
}

export function getSetting<T>(db: Db, key: string, fallback: T): T {
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export function setSetting(db: Db, key: string, value: unknown): void {
  stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}
