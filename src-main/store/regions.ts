import type { Db } from './db';
import { nowIso, stmt } from './statements';

export interface RegionRow {
  id: number;
  category_id: number;
  name: string;
  colour: string;
}

export interface RegionMaskRow {
  id: number;
  image_id: number;
  region_id: number;
  region: string;
  source: 'label' | 'propagated';
  vectors: string | null;
  blob: string;
  area: number;
  confidence: number | null;
  status: 'pending' | 'accepted' | 'rejected';
}

/** Distinct, colour-blind-friendly hues (Okabe-Ito), cycled. */
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];

export function upsertRegion(db: Db, categoryId: number, name: string, colour?: string): number {
  const existing = stmt(db, 'SELECT id FROM regions WHERE category_id = ? AND name = ?').get(categoryId, name) as { id: number } | undefined;
  if (existing) return existing.id;
  const n = (stmt(db, 'SELECT COUNT(*) AS n FROM regions WHERE category_id = ?').get(categoryId) as { n: number }).n;
  return Number(
    stmt(db, 'INSERT INTO regions (category_id, name, colour, created_at) VALUES (?, ?, ?, ?)').run(
      categoryId,
      name,
      colour ?? PALETTE[n % PALETTE.length],
      nowIso(),
    ).lastInsertRowid,
  );
}

export function listRegions(db: Db, categoryId: number): RegionRow[] {
  return stmt(db, 'SELECT id, category_id, name, colour FROM regions WHERE category_id = ? ORDER BY id').all(categoryId) as RegionRow[];
}

export function putRegionMask(
  db: Db,
  m: { imageId: number; regionId: number; source: 'label' | 'propagated'; vectors: unknown; blob: string; area: number; confidence: number | null; status?: 'pending' | 'accepted' | 'rejected' },
): void {
  stmt(
    db,
    `INSERT INTO region_masks (image_id, region_id, source, vectors, blob, area, confidence, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(image_id, region_id) DO UPDATE SET source = excluded.source, vectors = excluded.vectors, blob = excluded.blob,
       area = excluded.area, confidence = excluded.confidence, status = excluded.status, created_at = excluded.created_at`,
  ).run(
    m.imageId,
    m.regionId,
    m.source,
    m.vectors === null || m.vectors === undefined ? null : JSON.stringify(m.vectors),
    m.blob,
    m.area,
    m.confidence,
    m.status ?? (m.source === 'label' ? 'accepted' : 'pending'),
    nowIso(),
  );
}

/**
 * Stores the regions the user drew on one image, one transaction: a region with a blob replaces
 * its label, one without removes it. An edited image is a labelled exemplar from then on, no longer
 * a propagated one under review, so its propagated masks and confidence go.
 */
export function replaceLabels(db: Db, imageId: number, labels: readonly { regionId: number; vectors: unknown; blob: string | null; area: number }[]): void {
  db.transaction(() => {
    for (const l of labels) {
      if (l.blob === null) stmt(db, "DELETE FROM region_masks WHERE image_id = ? AND region_id = ? AND source = 'label'").run(imageId, l.regionId);
      else putRegionMask(db, { imageId, regionId: l.regionId, source: 'label', vectors: l.vectors ?? null, blob: l.blob, area: l.area, confidence: 1 });
    }
    deletePropagatedRegionMasks(db, imageId);
    stmt(db, 'DELETE FROM propagation_confidence WHERE image_id = ?').run(imageId);
  })();
}

export function deletePropagatedRegionMasks(db: Db, imageId: number): void {
  stmt(db, "DELETE FROM region_masks WHERE image_id = ? AND source = 'propagated'").run(imageId);
}

export function regionMasksOfImage(db: Db, imageId: number): RegionMaskRow[] {
  return stmt(
    db,
    `SELECT rm.id, rm.image_id, rm.region_id, r.name AS region, rm.source, rm.vectors, rm.blob, rm.area, rm.confidence, rm.status
     FROM region_masks rm JOIN regions r ON r.id = rm.region_id WHERE rm.image_id = ? ORDER BY r.id`,
  ).all(imageId) as RegionMaskRow[];
}

/** Normal images whose regions were drawn by the user: the propagation's exemplars. */
export function labelledImageIds(db: Db, categoryId: number): number[] {
  return (
    stmt(
      db,
      `SELECT DISTINCT rm.image_id AS id FROM region_masks rm JOIN regions r ON r.id = rm.region_id
       WHERE r.category_id = ? AND rm.source = 'label' ORDER BY rm.image_id`,
    ).all(categoryId) as { id: number }[]
  ).map((r) => r.id);
}

export function putPropagationConfidence(db: Db, imageId: number, confidence: number, flagged: boolean): void {
  stmt(
    db,
    `INSERT INTO propagation_confidence (image_id, confidence, flagged, status, updated_at) VALUES (?, ?, ?, 'pending', ?)
     ON CONFLICT(image_id) DO UPDATE SET confidence = excluded.confidence, flagged = excluded.flagged, status = 'pending', updated_at = excluded.updated_at`,
  ).run(imageId, confidence, flagged ? 1 : 0, nowIso());
}

export function setPropagationStatus(db: Db, imageId: number, status: 'pending' | 'accepted' | 'rejected'): void {
  stmt(db, 'UPDATE propagation_confidence SET status = ?, updated_at = ? WHERE image_id = ?').run(status, nowIso(), imageId);
  stmt(db, "UPDATE region_masks SET status = ? WHERE image_id = ? AND source = 'propagated'").run(status, imageId);
}

export function propagationRows(db: Db, categoryId: number): { imageId: number; relPath: string; confidence: number; flagged: boolean; status: string }[] {
  return (
    stmt(
      db,
      `SELECT p.image_id AS imageId, i.rel_path AS relPath, p.confidence, p.flagged, p.status FROM propagation_confidence p
       JOIN images i ON i.id = p.image_id WHERE i.category_id = ? ORDER BY p.confidence ASC, i.rel_path`,
    ).all(categoryId) as { imageId: number; relPath: string; confidence: number; flagged: number; status: string }[]
  ).map((r) => ({ ...r, flagged: r.flagged === 1 }));
}
