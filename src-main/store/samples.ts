import type { SampleInfo } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

/** A generated image-mask pair as the synthesis job stores it, with its provenance (METHOD.md §2b). */
export interface NewSample {
  categoryId: number;
  clusterId: number | null;
  clusterName: string;
  alignedMaskId: number;
  normalImageId: number;
  sourceImageId: number | null;
  generator: string;
  generatorVersion: string;
  /** JSON provenance of the generator. */
  params: string;
  seed: number;
  blendMode: string;
  imageBlob: string;
  maskBlob: string;
  width: number;
  height: number;
  jobId: number;
  /** METHOD.md §2b's alignment rule: the largest change outside the mask's band, and how many pixels exceed the tolerance. */
  outsideChangeMax: number;
  outsideOver: number;
  /** Fraction of the mask's pixels changed by more than the tolerance: below the floor the label shows no defect. */
  insideVisible: number;
  /** Its defect's contrast over its cluster's median exemplar contrast (null: none measurable). */
  contrastRatio: number | null;
  /** JSON of the random draws that made the pair (variation). */
  draws: string;
}

/** Stores a pair; a pair already made from the same aligned mask, generator and seed is kept as it is. */
export function insertSample(db: Db, s: NewSample): void {
  stmt(
    db,
    `INSERT OR IGNORE INTO samples (category_id, cluster_id, cluster_name, aligned_mask_id, normal_image_id, source_image_id, generator,
       generator_version, params, seed, blend_mode, image_blob, mask_blob, width, height, job_id, created_at,
       outside_change_max, outside_over, inside_visible, contrast_ratio, draws)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    s.categoryId,
    s.clusterId,
    s.clusterName,
    s.alignedMaskId,
    s.normalImageId,
    s.sourceImageId,
    s.generator,
    s.generatorVersion,
    s.params,
    s.seed,
    s.blendMode,
    s.imageBlob,
    s.maskBlob,
    s.width,
    s.height,
    s.jobId,
    nowIso(),
    s.outsideChangeMax,
    s.outsideOver,
    s.insideVisible,
    s.contrastRatio,
    s.draws,
  );
}

export function sampleExists(db: Db, alignedMaskId: number, generator: string, seed: number): boolean {
  return stmt(db, 'SELECT 1 FROM samples WHERE aligned_mask_id = ? AND generator = ? AND seed = ?').get(alignedMaskId, generator, seed) !== undefined;
}

export type SampleSort = 'ars' | 'id';

/** ORDER BY clauses by sort key: fixed strings, never user text. */
const SAMPLE_ORDER: Record<SampleSort, string> = { ars: 'ars IS NULL, ars DESC, id', id: 'id' };

const SAMPLE_COLUMNS = `id, category_id AS categoryId, cluster_id AS clusterId, cluster_name AS cluster, aligned_mask_id AS alignedMaskId,
  normal_image_id AS normalImageId, source_image_id AS sourceImageId, generator, seed, blend_mode AS blendMode, width, height,
  ars, kept, decision, score_blob IS NOT NULL AS hasScoreMap, image_blob AS imageBlob, mask_blob AS maskBlob,
  outside_change_max AS outsideChangeMax, outside_over AS outsideOver, inside_visible AS insideVisible, contrast_ratio AS contrastRatio, draws`;

export interface SampleCounts {
  total: number;
  scored: number;
  kept: number;
  accepted: number;
  rejected: number;
}

/** A pair as stored: its blob names instead of file paths (the engine knows where blobs live). */
export type SampleRecord = Omit<SampleInfo, 'file' | 'maskFile'> & { imageBlob: string; maskBlob: string };

type SampleRow = Omit<SampleRecord, 'kept' | 'hasScoreMap' | 'outsideChange' | 'draws'> & {
  kept: number;
  hasScoreMap: number;
  outsideChangeMax: number | null;
  outsideOver: number | null;
  draws: string | null;
};

/** One page of a category's pairs (or one cluster's), with the counts the Review screen shows. */
export function listSamples(
  db: Db,
  q: { categoryId: number; clusterId: number | null; sort: SampleSort; offset: number; limit: number },
): { items: SampleRecord[]; counts: SampleCounts } {
  const where = q.clusterId === null ? 'category_id = ?' : 'category_id = ? AND cluster_id = ?';
  const args = q.clusterId === null ? [q.categoryId] : [q.categoryId, q.clusterId];
  const rows = stmt(db, `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE ${where} ORDER BY ${SAMPLE_ORDER[q.sort]} LIMIT ? OFFSET ?`).all(
    ...args,
    q.limit,
    q.offset,
  ) as SampleRow[];
  const counts = stmt(
    db,
    `SELECT COUNT(*) AS total, COUNT(ars) AS scored, COALESCE(SUM(kept), 0) AS kept, COALESCE(SUM(decision = 'accepted'), 0) AS accepted,
       COALESCE(SUM(decision = 'rejected'), 0) AS rejected FROM samples WHERE ${where}`,
  ).get(...args) as SampleCounts;
  return {
    items: rows.map(({ outsideChangeMax, outsideOver, draws, ...r }) => ({
      ...r,
      kept: r.kept === 1,
      hasScoreMap: r.hasScoreMap === 1,
      outsideChange: outsideChangeMax === null ? null : { max: outsideChangeMax, overTolerance: outsideOver ?? 0 },
      draws: draws === null ? null : (JSON.parse(draws) as Record<string, unknown>),
    })),
    counts,
  };
}

/** The user's accept / reject (null clears it) on many pairs at once; returns how many rows changed. */
export function decideSamples(db: Db, ids: readonly number[], decision: 'accepted' | 'rejected' | null): number {
  const update = stmt(db, 'UPDATE samples SET decision = ? WHERE id = ?');
  let updated = 0;
  db.transaction(() => {
    for (const id of ids) updated += update.run(decision, id).changes;
  })();
  return updated;
}

/** Every pair of a category, in id order, with the blobs the scorer reads. */
export function samplesToScore(db: Db, categoryId: number): { id: number; imageBlob: string; maskBlob: string }[] {
  return stmt(db, 'SELECT id, image_blob AS imageBlob, mask_blob AS maskBlob FROM samples WHERE category_id = ? ORDER BY id').all(categoryId) as {
    id: number;
    imageBlob: string;
    maskBlob: string;
  }[];
}

export function setSampleScore(db: Db, id: number, score: { ars: number; scorerId: number; scoreBlob: string }): void {
  stmt(db, 'UPDATE samples SET ars = ?, scorer_id = ?, score_blob = ? WHERE id = ?').run(score.ars, score.scorerId, score.scoreBlob, id);
}

/** The ARS of a category's pairs (or one cluster's) in id order, for the keep filter. */
export function sampleScores(db: Db, categoryId: number, clusterId: number | null): { id: number; cluster: string; blendMode: string; ars: number | null }[] {
  return (
    clusterId === null
      ? stmt(db, 'SELECT id, cluster_name AS cluster, blend_mode AS blendMode, ars FROM samples WHERE category_id = ? ORDER BY id').all(categoryId)
      : stmt(db, 'SELECT id, cluster_name AS cluster, blend_mode AS blendMode, ars FROM samples WHERE category_id = ? AND cluster_id = ? ORDER BY id').all(categoryId, clusterId)
  ) as { id: number; cluster: string; blendMode: string; ars: number | null }[];
}

/** How many of a category's pairs have an ARS (the keep filter has something to choose by). */
export function scoredPairCount(db: Db, categoryId: number): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM samples WHERE category_id = ? AND ars IS NOT NULL').get(categoryId) as { n: number }).n;
}

/** Marks pairs kept or not by the filter, all in one transaction. */
export function setKept(db: Db, marks: readonly { id: number; kept: boolean }[]): void {
  const mark = stmt(db, 'UPDATE samples SET kept = ? WHERE id = ?');
  db.transaction(() => {
    for (const m of marks) mark.run(m.kept ? 1 : 0, m.id);
  })();
}
