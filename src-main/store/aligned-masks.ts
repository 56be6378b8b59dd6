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
}

export function insertAlignedMask(db: Db, m: NewAlignedMask): number {
  return Number(
    stmt(
      db,
      `INSERT INTO aligned_masks (category_id, cluster_id, cluster_name, job_id, normal_image_id, source_image_id, source_mask_id,
         region, mode, inside_fraction, transform, seed, blob, width, height, area, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    ).lastInsertRowid,
  );
}

/** An aligned mask row as the API shows it, plus the blob name the engine resolves. */
export type AlignedMaskRecord = AlignedMaskInfo & { blob: string };

export function listAlignedMasks(db: Db, categoryId: number, clusterId: number | null, offset: number, limit: number): { total: number; items: AlignedMaskRecord[] } {
  const where = clusterId === null ? 'category_id = ?' : 'category_id = ? AND cluster_id = ?';
  const args = clusterId === null ? [categoryId] : [categoryId, clusterId];
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM aligned_masks WHERE ${where}`).get(...args) as { n: number }).n;
  const items = stmt(
    db,
    `SELECT id, cluster_id AS clusterId, cluster_name AS cluster, normal_image_id AS normalImageId, source_image_id AS sourceImageId,
       source_mask_id AS sourceMaskId, region, mode, inside_fraction AS insideFraction, seed, blob, width, height, area
     FROM aligned_masks WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`,
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
