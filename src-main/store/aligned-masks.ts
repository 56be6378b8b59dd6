import type { AlignedMaskInfo } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

/** A region-aligned anomaly mask (RAMS, METHOD.md §3) as the masks job stores it. */
export interface NewAlignedMask {
  categoryId: number;
  clusterId: number;
  clusterName: string;
  jobId: number;
  normalImageId: number;
  sourceImageId: number | null;
  sourceMaskId: number | null;
  region: string | null;
  mode: string;
  insideFraction: number;
  /** JSON of the transform T and the placed parts. */
  transform: string;
  seed: number;
  blob: string;
  width: number;
  height: number;
  area: number;
  /** Fingerprint of the cluster's kind, rule and members it was made from (store/provenance.ts). */
  madeFrom: string;
  /** The region mask blob it was placed in; null for the implicit region. */
  regionBlob: string | null;
}

export function insertAlignedMask(db: Db, m: NewAlignedMask): number {
  return Number(
    stmt(
      db,
      `INSERT INTO aligned_masks (category_id, cluster_id, cluster_name, job_id, normal_image_id, source_image_id, source_mask_id,
         region, mode, inside_fraction, transform, seed, blob, width, height, area, created_at, made_from, region_blob)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.categoryId,
      m.clusterId,
      m.clusterName,
      m.jobId,
      m.normalImageId,
      m.sourceImageId,
      m.sourceMaskId,
      m.region,
      m.mode,
      m.insideFraction,
      m.transform,
      m.seed,
      m.blob,
      m.width,
      m.height,
      m.area,
      nowIso(),
      m.madeFrom,
      m.regionBlob,
    ).lastInsertRowid,
  );
}

/** An aligned mask as stored: blob names instead of the file paths the API shows (the engine knows where blobs live). */
export type AlignedMaskRecord = Omit<AlignedMaskInfo, 'file' | 'sourceMaskFile'> & { blob: string; sourceMaskBlob: string | null };

export function listAlignedMasks(db: Db, categoryId: number, clusterId: number | null, offset: number, limit: number): { total: number; items: AlignedMaskRecord[] } {
  const where = clusterId === null ? 'a.category_id = ?' : 'a.category_id = ? AND a.cluster_id = ?';
  const args = clusterId === null ? [categoryId] : [categoryId, clusterId];
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM aligned_masks a WHERE ${where}`).get(...args) as { n: number }).n;
  const items = stmt(
    db,
    `SELECT a.id, a.cluster_id AS clusterId, a.cluster_name AS cluster, a.normal_image_id AS normalImageId, a.source_image_id AS sourceImageId,
       a.source_mask_id AS sourceMaskId, a.job_id AS jobId, a.region, a.mode, a.inside_fraction AS insideFraction, a.seed, a.blob, a.width, a.height, a.area,
       n.source_path AS normalImageFile, m.blob AS sourceMaskBlob
     FROM aligned_masks a JOIN images n ON n.id = a.normal_image_id LEFT JOIN masks m ON m.id = a.source_mask_id
     WHERE ${where} ORDER BY a.id LIMIT ? OFFSET ?`,
  ).all(...args, limit, offset) as AlignedMaskRecord[];
  return { total, items };
}

/** An aligned mask as the synthesis job reads it, with its cluster's anomaly kind. */
export interface AlignedMaskToSynthesise {
  id: number;
  cluster_id: number | null;
  cluster_name: string;
  normal_image_id: number;
  source_image_id: number | null;
  source_mask_id: number | null;
  mode: string;
  transform: string;
  blob: string;
  kind: string | null;
}

/** A category's aligned masks (or one cluster's), grouped by cluster, in the order the synthesis job makes pairs. */
export function alignedMasksToSynthesise(db: Db, categoryId: number, clusterId: number | null): AlignedMaskToSynthesise[] {
  const clusterFilter = clusterId === null ? '' : 'AND a.cluster_id = ?';
  const args = clusterId === null ? [categoryId] : [categoryId, clusterId];
  return stmt(
    db,
    `SELECT a.id, a.cluster_id, a.cluster_name, a.normal_image_id, a.source_image_id, a.source_mask_id, a.mode, a.transform, a.blob, c.kind
     FROM aligned_masks a LEFT JOIN clusters c ON c.id = a.cluster_id WHERE a.category_id = ? ${clusterFilter} ORDER BY a.cluster_id, a.id`,
  ).all(...args) as AlignedMaskToSynthesise[];
}

/**
 * Aligned masks per cluster of a category, leaving out those made by `exceptJob` (a resumed
 * masks job counts what was there before it started, so its plan does not shrink as it runs).
 */
export function alignedMaskCounts(db: Db, categoryId: number, exceptJob: number | null = null): Map<number, number> {
  const rows = stmt(
    db,
    `SELECT cluster_id AS clusterId, COUNT(*) AS n FROM aligned_masks
     WHERE category_id = ? AND cluster_id IS NOT NULL AND (job_id IS NULL OR job_id IS NOT ?) GROUP BY cluster_id`,
  ).all(categoryId, exceptJob) as { clusterId: number; n: number }[];
  return new Map(rows.map((r) => [r.clusterId, r.n]));
}
