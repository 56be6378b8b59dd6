import type { Db } from './db';
import { nowIso, stmt } from './statements';

/** A trained scorer (METHOD.md §5) as stored: settings, model and self-check are JSON. */
export interface ScorerRow {
  id: number;
  model: string;
  settings: string;
  self_check: string | null;
  created_at: string;
}

/** The category's newest scorer, the one scoring and the Review screen use. */
export function latestScorer(db: Db, categoryId: number): ScorerRow | undefined {
  return stmt(db, 'SELECT id, model, settings, self_check, created_at FROM scorers WHERE category_id = ? ORDER BY id DESC LIMIT 1').get(categoryId) as
    | ScorerRow
    | undefined;
}

export function insertScorer(db: Db, s: { categoryId: number; settings: string; model: string; selfCheck: string }): number {
  return Number(
    stmt(db, 'INSERT INTO scorers (category_id, settings, model, self_check, created_at) VALUES (?, ?, ?, ?, ?)').run(
      s.categoryId,
      s.settings,
      s.model,
      s.selfCheck,
      nowIso(),
    ).lastInsertRowid,
  );
}
