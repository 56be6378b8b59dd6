import type { ItemError } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

export function recordItemError(db: Db, e: { jobId: number | null; imageId: number | null; file: string; reason: string }): void {
  stmt(db, 'INSERT INTO item_errors (job_id, image_id, file, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(
    e.jobId,
    e.imageId,
    e.file,
    e.reason,
    nowIso(),
  );
}

export function listItemErrors(db: Db, offset: number, limit: number): { total: number; items: ItemError[] } {
  const total = (stmt(db, 'SELECT COUNT(*) AS n FROM item_errors').get() as { n: number }).n;
  const items = stmt(
    db,
    'SELECT id, file, reason, image_id AS imageId, job_id AS jobId FROM item_errors ORDER BY id LIMIT ? OFFSET ?',
  ).all(limit, offset) as ItemError[];
  return { total, items };
}

/** Errors with no image row (the file could not even be registered), per category is unknown: counted project-wide. */
export function countItemErrors(db: Db): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM item_errors').get() as { n: number }).n;
}
