import type { ExportSelection } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

export type { ExportSelection };

/**
 * Which pairs each selection exports, as fixed WHERE clauses. kept: the filter's choice unless
 * the user rejected it, plus what the user accepted; accepted: only what the user accepted;
 * all: every pair the user did not reject.
 */
const SELECTION_WHERE: Record<ExportSelection, string> = {
  accepted: "s.decision = 'accepted'",
  kept: "(s.decision = 'accepted' OR (s.decision IS NULL AND s.kept = 1))",
  all: "(s.decision IS NULL OR s.decision != 'rejected')",
};

/** A generated pair with what its provenance in the export manifest needs. */
export interface ExportSampleRow {
  id: number;
  category: string;
  cluster_name: string;
  image_blob: string;
  mask_blob: string;
  normal_path: string;
  generator: string;
  generator_version: string;
  seed: number;
  ars: number | null;
  blend_mode: string;
  transform: string;
  region: string | null;
  mode: string;
  source_image_id: number | null;
  /** How far the pair strays outside its mask (migration 6); null for pairs made before it was recorded. */
  outside_change_max: number | null;
  outside_over: number | null;
  /** Fraction of the mask visibly changed (migration 8); null for pairs made before it was recorded. */
  inside_visible: number | null;
  /** The defect's contrast over its cluster's median exemplar's (migration 8); null when not recorded. */
  contrast_ratio: number | null;
  /** JSON of the random draws that made the pair; null for pairs made before. */
  draws: string | null;
  /** The imported defect type of the few-shot exemplar the pair was made from; null for logical pairs. */
  source_defect_type: string | null;
}

/**
 * The selected pairs of one category (or all), ordered by category, cluster and aligned mask.
 * Not by sample id: the synthesis workers commit pairs in the order they finish, so ids (and with
 * them the export's file numbers, and any sorted-name draw a trainer makes) would change from run
 * to run. The masks job numbers its masks in seed order, so this order is the same every time.
 */
export function samplesToExport(db: Db, selection: ExportSelection, categoryId: number | null): ExportSampleRow[] {
  const catFilter = categoryId === null ? '' : 'AND s.category_id = @categoryId';
  return stmt(
    db,
    `SELECT s.*, c.name AS category, n.source_path AS normal_path, a.transform, a.region, a.mode, si.defect_type AS source_defect_type
     FROM samples s JOIN categories c ON c.id = s.category_id JOIN images n ON n.id = s.normal_image_id
     JOIN aligned_masks a ON a.id = s.aligned_mask_id LEFT JOIN images si ON si.id = s.source_image_id WHERE ${SELECTION_WHERE[selection]} ${catFilter} ORDER BY c.name, s.cluster_name, s.aligned_mask_id, s.generator, s.seed`,
  ).all({ categoryId }) as ExportSampleRow[];
}

/** How many generated pairs one category (or the project) holds, whatever their selection. */
export function syntheticPairCount(db: Db, categoryId: number | null): number {
  const row = (
    categoryId === null ? stmt(db, 'SELECT COUNT(*) AS n FROM samples').get() : stmt(db, 'SELECT COUNT(*) AS n FROM samples WHERE category_id = ?').get(categoryId)
  ) as { n: number };
  return row.n;
}

/** Pairs without an ARS that the user did not reject and `selection` does not take, per category and cluster. */
export function unscoredLeftOut(db: Db, selection: ExportSelection, categoryId: number | null): { category: string; cluster: string; n: number }[] {
  const catFilter = categoryId === null ? '' : 'AND s.category_id = @categoryId';
  return stmt(
    db,
    `SELECT c.name AS category, s.cluster_name AS cluster, COUNT(*) AS n FROM samples s JOIN categories c ON c.id = s.category_id
     WHERE s.ars IS NULL AND (s.decision IS NULL OR s.decision != 'rejected') AND NOT COALESCE(${SELECTION_WHERE[selection]}, 0) ${catFilter}
     GROUP BY c.name, s.cluster_name ORDER BY c.name, s.cluster_name`,
  ).all({ categoryId }) as { category: string; cluster: string; n: number }[];
}

/** The real few-shot pairs (image, union mask, cluster) of one category (or all). */
export function fewShotPairsToExport(
  db: Db,
  categoryId: number | null,
): { id: number; source_path: string; hash: string | null; category: string; defect_type: string; blob: string; cluster: string | null }[] {
  const imgFilter = categoryId === null ? '' : 'AND i.category_id = @categoryId';
  return stmt(
    db,
    `SELECT i.id, i.source_path, i.hash, c.name AS category, i.defect_type, m.blob, cm.cluster_id, cl.name AS cluster
     FROM images i JOIN categories c ON c.id = i.category_id JOIN masks m ON m.image_id = i.id AND m.role = 'union'
     LEFT JOIN cluster_members cm ON cm.image_id = i.id LEFT JOIN clusters cl ON cl.id = cm.cluster_id
     WHERE i.kind = 'anomaly' AND i.split = 'fewshot' AND i.has_error = 0 ${imgFilter} ORDER BY c.name, i.rel_path`,
  ).all({ categoryId }) as { id: number; source_path: string; hash: string | null; category: string; defect_type: string; blob: string; cluster: string | null }[];
}

/**
 * The normal images of one category (or all), by category and path: the training ones (train/good)
 * or the held-out ones (split `test`, written as test/good).
 */
export function normalsToExport(
  db: Db,
  categoryId: number | null,
  split: 'train' | 'test' = 'train',
): { id: number; path: string; hash: string | null; category: string }[] {
  const imgFilter = categoryId === null ? '' : 'AND i.category_id = @categoryId';
  return stmt(
    db,
    `SELECT i.id, i.source_path AS path, i.hash, c.name AS category FROM images i JOIN categories c ON c.id = i.category_id
     WHERE i.kind = 'normal' AND i.split = @split AND i.has_error = 0 ${imgFilter} ORDER BY c.name, i.rel_path`,
  ).all({ categoryId, split }) as { id: number; path: string; hash: string | null; category: string }[];
}

/** Whether `root` is the folder of an export this project wrote. */
export function isRecordedExport(db: Db, root: string): boolean {
  return stmt(db, 'SELECT 1 FROM exports WHERE root = ? LIMIT 1').get(root) !== undefined;
}

export function recordExport(db: Db, e: { root: string; formats: readonly string[]; files: number }): void {
  stmt(db, 'INSERT INTO exports (root, formats, files, created_at) VALUES (?, ?, ?, ?)').run(e.root, JSON.stringify(e.formats), e.files, nowIso());
}
