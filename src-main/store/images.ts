import type { ImageDetail, ImageKind, ImageSplit, ImageSummary, ItemError, MaskInfo } from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

export interface NewImage {
  categoryId: number;
  sourceId: number | null;
  kind: ImageKind;
  defectType: string;
  origin: 'train' | 'validation' | 'test';
  split: ImageSplit;
  sourcePath: string;
  relPath: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  hash: string | null;
  thumbBlob: string | null;
  hasError: boolean;
}

export interface NewMask {
  role: 'union' | 'region';
  regionIndex: number | null;
  sourcePath: string | null;
  width: number;
  height: number;
  area: number;
  blob: string;
}

export function findImageByRelPath(db: Db, categoryId: number, relPath: string): number | null {
  const row = stmt(db, 'SELECT id FROM images WHERE category_id = ? AND rel_path = ?').get(categoryId, relPath) as
    | { id: number }
    | undefined;
  return row?.id ?? null;
}

export function findImageByHash(db: Db, categoryId: number, hash: string): number | null {
  const row = stmt(db, 'SELECT id FROM images WHERE category_id = ? AND hash = ? LIMIT 1').get(categoryId, hash) as
    | { id: number }
    | undefined;
  return row?.id ?? null;
}

export function insertImage(db: Db, img: NewImage, masks: NewMask[]): number {
  const info = stmt(
    db,
    `INSERT INTO images (category_id, source_id, kind, defect_type, origin, split, source_path, rel_path,
       width, height, channels, bit_depth, hash, thumb_blob, has_error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    img.categoryId,
    img.sourceId,
    img.kind,
    img.defectType,
    img.origin,
    img.split,
    img.sourcePath,
    img.relPath,
    img.width,
    img.height,
    img.channels,
    img.bitDepth,
    img.hash,
    img.thumbBlob,
    img.hasError ? 1 : 0,
    nowIso(),
  );
  const imageId = Number(info.lastInsertRowid);
  const insertMask = stmt(
    db,
    'INSERT INTO masks (image_id, role, region_index, source_path, width, height, area, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const m of masks) insertMask.run(imageId, m.role, m.regionIndex, m.sourcePath, m.width, m.height, m.area, m.blob);
  return imageId;
}

export interface ImageFilter {
  categoryId?: number;
  kind?: ImageKind;
  defectType?: string;
  split?: ImageSplit;
  hasError?: boolean;
}

/** Filters become a WHERE clause of fixed column names and bound values only. */
function where(f: ImageFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.categoryId !== undefined) (parts.push('i.category_id = ?'), params.push(f.categoryId));
  if (f.kind !== undefined) (parts.push('i.kind = ?'), params.push(f.kind));
  if (f.defectType !== undefined) (parts.push('i.defect_type = ?'), params.push(f.defectType));
  if (f.split !== undefined) (parts.push('i.split = ?'), params.push(f.split));
  if (f.hasError !== undefined) (parts.push('i.has_error = ?'), params.push(f.hasError ? 1 : 0));
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const SUMMARY_COLUMNS = `i.id, i.category_id AS categoryId, c.name AS category, i.kind, i.defect_type AS defectType,
  i.split, i.rel_path AS relPath, i.width, i.height, i.has_error AS hasError,
  (SELECT COUNT(*) FROM masks m WHERE m.image_id = i.id) AS maskCount`;

type SummaryRow = Omit<ImageSummary, 'hasError'> & { hasError: number };

function toSummary(r: SummaryRow): ImageSummary {
  return { ...r, hasError: r.hasError === 1 };
}

export function listImages(db: Db, f: ImageFilter, offset: number, limit: number): { total: number; items: ImageSummary[] } {
  const w = where(f);
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM images i ${w.sql}`).get(...w.params) as { n: number }).n;
  const rows = stmt(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM images i JOIN categories c ON c.id = i.category_id ${w.sql}
     ORDER BY c.name, i.kind DESC, i.defect_type, i.rel_path LIMIT ? OFFSET ?`,
  ).all(...w.params, limit, offset) as SummaryRow[];
  return { total, items: rows.map(toSummary) };
}

/** A mask record as stored: its blob name instead of a file path (the engine knows where blobs live). */
export type StoredMask = Omit<MaskInfo, 'file'> & { blob: string };
/** An image's details as stored, its masks with their blob names. */
export type StoredImageDetail = Omit<ImageDetail, 'masks'> & { masks: StoredMask[] };

export function getImage(db: Db, id: number): StoredImageDetail | null {
  const row = stmt(
    db,
    `SELECT ${SUMMARY_COLUMNS}, i.source_path AS sourcePath, i.channels, i.bit_depth AS bitDepth, i.hash,
       c.defects_config AS defectsConfig
     FROM images i JOIN categories c ON c.id = i.category_id WHERE i.id = ?`,
  ).get(id) as (SummaryRow & { sourcePath: string; channels: number; bitDepth: number; hash: string | null; defectsConfig: string | null }) | undefined;
  if (!row) return null;
  const masks = stmt(
    db,
    `SELECT id, role, source_path AS sourcePath, region_index AS regionIndex, width, height, area, blob
     FROM masks WHERE image_id = ? ORDER BY role DESC, region_index`,
  ).all(id) as StoredMask[];
  const errors = stmt(
    db,
    'SELECT id, file, reason, image_id AS imageId, job_id AS jobId FROM item_errors WHERE image_id = ? ORDER BY id',
  ).all(id) as ItemError[];
  const { defectsConfig, ...rest } = row;
  return {
    ...toSummary(rest),
    sourcePath: row.sourcePath,
    channels: row.channels,
    bitDepth: row.bitDepth,
    hash: row.hash ?? '',
    masks,
    errors,
    defectConfig: pickDefectConfig(defectsConfig, row.defectType),
  };
}

/** MVTec LOCO's defects_config.json (a list of entries keyed by `defect_name`), shown as stored. */
function pickDefectConfig(json: string | null, _defectType: string): unknown {
  return json ? (JSON.parse(json) as unknown) : null;
}

export function imageFiles(db: Db, id: number): { sourcePath: string; thumbBlob: string | null } | null {
  return (
    (stmt(db, 'SELECT source_path AS sourcePath, thumb_blob AS thumbBlob FROM images WHERE id = ?').get(id) as
      | { sourcePath: string; thumbBlob: string | null }
      | undefined) ?? null
  );
}

export function maskBlob(db: Db, maskId: number): string | null {
  const row = stmt(db, 'SELECT blob FROM masks WHERE id = ?').get(maskId) as { blob: string } | undefined;
  return row?.blob ?? null;
}

export function setImageSplit(db: Db, id: number, split: ImageSplit, manual: boolean): void {
  stmt(db, 'UPDATE images SET split = ?, split_manual = ? WHERE id = ?').run(split, manual ? 1 : 0, id);
}

/** Anomaly images of a category eligible for the few-shot split (decoded without errors). */
export function splitCandidates(db: Db, categoryId: number): { id: number; key: string; defectType: string; manual: boolean; split: ImageSplit }[] {
  return (
    stmt(
      db,
      `SELECT id, rel_path AS key, defect_type AS defectType, split_manual AS manual, split FROM images
       WHERE category_id = ? AND kind = 'anomaly' AND has_error = 0`,
    ).all(categoryId) as { id: number; key: string; defectType: string; manual: number; split: ImageSplit }[]
  ).map((r) => ({ ...r, manual: r.manual === 1 }));
}

/** Normal training images of a category that decoded without errors: where aligned masks go and what the scorer learns from. */
export function normalTrainingImages(db: Db, categoryId: number): { id: number; relPath: string; width: number; height: number }[] {
  return stmt(
    db,
    "SELECT id, rel_path AS relPath, width, height FROM images WHERE category_id = ? AND kind = 'normal' AND split = 'train' AND has_error = 0 ORDER BY rel_path",
  ).all(categoryId) as { id: number; relPath: string; width: number; height: number }[];
}

/** Every usable normal image of a category (training and test), by path: the images regions are labelled on and propagated to. */
export function usableNormalImages(db: Db, categoryId: number): { id: number; relPath: string; width: number; height: number; origin: string }[] {
  return stmt(
    db,
    "SELECT id, rel_path AS relPath, width, height, origin FROM images WHERE category_id = ? AND kind = 'normal' AND has_error = 0 ORDER BY rel_path",
  ).all(categoryId) as { id: number; relPath: string; width: number; height: number; origin: string }[];
}

/** The scorer's self-check set: held-out (test) normal images and held-out anomalies, in id order. */
export function heldOutImages(db: Db, categoryId: number): { id: number; kind: string; defectType: string | null }[] {
  return stmt(
    db,
    `SELECT id, kind, defect_type AS defectType FROM images WHERE category_id = ? AND has_error = 0 AND
       ((kind = 'normal' AND split = 'test') OR (kind = 'anomaly' AND split = 'heldout')) ORDER BY id`,
  ).all(categoryId) as { id: number; kind: string; defectType: string | null }[];
}

/** Lets every anomaly of a category join the next few-shot draw again (a redraw is explicit). */
export function clearManualSplits(db: Db, categoryId: number): void {
  stmt(db, "UPDATE images SET split_manual = 0 WHERE category_id = ? AND kind = 'anomaly'").run(categoryId);
}
