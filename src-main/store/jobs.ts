import type { JobFinished, JobInfo, JobKind, JobStatus } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

interface JobRow {
  id: number;
  kind: JobKind;
  status: JobStatus;
  params: string;
  done: number;
  total: number;
  failed: number;
  error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

function toInfo(r: JobRow): JobInfo {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    done: r.done,
    total: r.total,
    failed: r.failed,
    params: JSON.parse(r.params) as Record<string, unknown>,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createJob(db: Db, kind: JobKind, params: object): number {
  const now = nowIso();
  const info = stmt(db, 'INSERT INTO jobs (kind, status, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    kind,
    'queued',
    JSON.stringify(params),
    now,
    now,
  );
  return Number(info.lastInsertRowid);
}

export function getJob(db: Db, id: number): JobInfo | null {
  const row = stmt(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toInfo(row) : null;
}

/** The stored outcome of a job that has ended (done, failed or cancelled); null for one that has not. */
export function finishedJob(db: Db, id: number): JobFinished | null {
  const row = stmt(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  if (!row || (row.status !== 'done' && row.status !== 'failed' && row.status !== 'cancelled')) return null;
  // The result was written by this job kind's own body when it finished (JobRunner).
  const result = row.status === 'done' && row.result ? (JSON.parse(row.result) as unknown) : null;
  return { jobId: row.id, kind: row.kind, status: row.status, error: row.error, result } as JobFinished;
}

/**
 * The newest finished value check of a category that chose an export default (its result's
 * `recommended`), with when it finished; null where none did.
 */
export function latestValueRecommendation(
  db: Db,
  categoryId: number,
): { jobId: number; finishedAt: string; selection: 'kept' | 'all'; why: string } | null {
  const rows = stmt(
    db,
    "SELECT id, updated_at, result FROM jobs WHERE kind = 'value' AND status = 'done' AND json_extract(params, '$.categoryId') = ? ORDER BY id DESC",
  ).all(categoryId) as { id: number; updated_at: string; result: string | null }[];
  for (const r of rows) {
    const rec = r.result ? (JSON.parse(r.result) as { recommended?: { selection: 'kept' | 'all'; why: string } | null }).recommended : null;
    if (rec) return { jobId: r.id, finishedAt: r.updated_at, selection: rec.selection, why: rec.why };
  }
  return null;
}

export function listJobs(db: Db): JobInfo[] {
  return (stmt(db, 'SELECT * FROM jobs ORDER BY id DESC LIMIT 100').all() as JobRow[]).map(toInfo);
}

export function updateJob(
  db: Db,
  id: number,
  patch: Partial<{ status: JobStatus; done: number; total: number; failed: number; error: string | null; result: unknown }>,
): void {
  const cur = stmt(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  if (!cur) return;
  stmt(db, 'UPDATE jobs SET status = ?, done = ?, total = ?, failed = ?, error = ?, result = ?, updated_at = ? WHERE id = ?').run(
    patch.status ?? cur.status,
    patch.done ?? cur.done,
    patch.total ?? cur.total,
    patch.failed ?? cur.failed,
    patch.error === undefined ? cur.error : patch.error,
    patch.result === undefined ? cur.result : JSON.stringify(patch.result),
    nowIso(),
    id,
  );
}

/** A job still marked running when the project opens was killed: it can be resumed. */
export function markInterruptedJobs(db: Db): number {
  return stmt(db, "UPDATE jobs SET status = 'interrupted', updated_at = ? WHERE status IN ('running', 'queued')").run(nowIso())
    .changes;
}

export function finishedItemKeys(db: Db, jobId: number): Set<string> {
  const rows = stmt(db, 'SELECT item_key AS k FROM job_items WHERE job_id = ?').all(jobId) as { k: string }[];
  return new Set(rows.map((r) => r.k));
}

export function markItem(db: Db, jobId: number, key: string, status: 'done' | 'failed' | 'skipped'): void {
  stmt(db, 'INSERT OR REPLACE INTO job_items (job_id, item_key, status) VALUES (?, ?, ?)').run(jobId, key, status);
}

export function countItems(db: Db, jobId: number): { done: number; failed: number } {
  const rows = stmt(db, 'SELECT status, COUNT(*) AS n FROM job_items WHERE job_id = ? GROUP BY status').all(jobId) as {
    status: string;
    n: number;
  }[];
  let done = 0;
  let failed = 0;
  for (const r of rows) {
    done += r.n;
    if (r.status === 'failed') failed += r.n;
  }
  return { done, failed };
}
