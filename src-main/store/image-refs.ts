import type { Db } from './db';
import { stmt } from './statements';

/** The ImageRef kinds stored as one of our mask or image blobs (not a source image). */
export type BlobRefKind = 'mask' | 'regionMask' | 'alignedMask' | 'sample' | 'sampleMask' | 'scoreMap';

/** One fixed query per kind: the allow-list of tables and columns an image route may read. */
const BLOB_OF: Record<BlobRefKind, string> = {
  mask: 'SELECT blob FROM masks WHERE id = ?',
  regionMask: 'SELECT blob FROM region_masks WHERE id = ?',
  alignedMask: 'SELECT blob FROM aligned_masks WHERE id = ?',
  sample: 'SELECT image_blob AS blob FROM samples WHERE id = ?',
  sampleMask: 'SELECT mask_blob AS blob FROM samples WHERE id = ?',
  scoreMap: 'SELECT score_blob AS blob FROM samples WHERE id = ?',
};

/** The blob a project record names, or null when there is no such record (or it has no blob yet). */
export function blobOfRef(db: Db, kind: BlobRefKind, id: number): string | null {
  const row = stmt(db, BLOB_OF[kind]).get(id) as { blob: string | null } | undefined;
  return row?.blob ?? null;
}
