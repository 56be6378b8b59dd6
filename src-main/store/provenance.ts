/** What stale-work tracking (engine/masks/provenance.ts) reads and removes: aligned masks' provenance, region blobs, pairs. */
import type { Db } from './db';
import { stmt } from './statements';

/** The region mask blob of `region` on a normal image as placement reads it (not rejected), or null. */
export function regionBlobOf(db: Db, imageId: number, region: string | null): string | null {
  if (region === null) return null;
  const row = stmt(
    db,
    `SELECT rm.blob FROM region_masks rm JOIN regions r ON r.id = rm.region_id
     WHERE rm.image_id = ? AND r.name = ? AND rm.status != 'rejected'`,
  ).get(imageId, region) as { blob: string } | undefined;
  return row?.blob ?? null;
}

/** Every region mask of a category placement would read: `imageId\0region` → blob. */
export function regionBlobsOfCategory(db: Db, categoryId: number): Map<string, string> {
  const rows = stmt(
    db,
    `SELECT rm.image_id AS imageId, r.name AS region, rm.blob FROM region_masks rm JOIN regions r ON r.id = rm.region_id
     WHERE r.category_id = ? AND rm.status != 'rejected'`,
  ).all(categoryId) as { imageId: number; region: string; blob: string }[];
  return new Map(rows.map((r) => [`${r.imageId}\u0000${r.region}`, r.blob]));
}

export interface MaskProvenance {
  id: number;
  clusterId: number | null;
  imageId: number;
  region: string | null;
  madeFrom: string | null;
  regionBlob: string | null;
}

export function maskProvenance(db: Db, categoryId: number): MaskProvenance[] {
  return stmt(
    db,
    `SELECT id, cluster_id AS clusterId, normal_image_id AS imageId, region, made_from AS madeFrom, region_blob AS regionBlob
     FROM aligned_masks WHERE category_id = ?`,
  ).all(categoryId) as MaskProvenance[];
}

export function pairsOfCategory(db: Db, categoryId: number): { id: number; maskId: number; clusterId: number | null; ars: number | null }[] {
  return stmt(db, 'SELECT id, aligned_mask_id AS maskId, cluster_id AS clusterId, ars FROM samples WHERE category_id = ?').all(categoryId) as {
    id: number;
    maskId: number;
    clusterId: number | null;
    ars: number | null;
  }[];
}

export function categoryIds(db: Db): number[] {
  return (stmt(db, 'SELECT id FROM categories').all() as { id: number }[]).map((c) => c.id);
}

/** The seed and blend mode of the synthesis job that made a cluster's newest pair, if any. */
export function newestSynthParams(db: Db, categoryId: number, clusterId: number): { seed?: number; blendMode?: 'auto' | 'opaque' | 'mixed' } | null {
  const row = stmt(
    db,
    `SELECT j.params FROM samples s JOIN jobs j ON j.id = s.job_id WHERE s.category_id = ? AND s.cluster_id = ? AND j.kind = 'synth'
     ORDER BY s.id DESC LIMIT 1`,
  ).get(categoryId, clusterId) as { params: string } | undefined;
  return row ? (JSON.parse(row.params) as { seed?: number; blendMode?: 'auto' | 'opaque' | 'mixed' }) : null;
}

/** Removes aligned masks, and with them their pairs (ON DELETE CASCADE); returns how many pairs went. */
export function removeAlignedMasks(db: Db, ids: readonly number[]): number {
  const list = JSON.stringify(ids);
  return db.transaction(() => {
    const pairs = (stmt(db, 'SELECT COUNT(*) AS n FROM samples WHERE aligned_mask_id IN (SELECT value FROM json_each(?))').get(list) as { n: number }).n;
    stmt(db, 'DELETE FROM aligned_masks WHERE id IN (SELECT value FROM json_each(?))').run(list);
    return pairs;
  })();
}
