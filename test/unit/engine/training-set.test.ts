import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainingSet } from '../../../src-main/engine/export/training-set';
import { upsertCategory } from '../../../src-main/store/categories';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/store/db';
import { insertImage } from '../../../src-main/store/images';
import { nowIso } from '../../../src-main/store/statements';

/**
 * What an export takes of the generated pairs (METHOD.md §2b): a pair that changes pixels outside
 * its mask, or whose mask shows no visible defect (under a tenth of its pixels changed by more
 * than 8 grey levels, or, when the export asks for a contrast floor, a contrast under that share
 * of its cluster's median exemplar's), is left out and counted under its reason; a pair made
 * before either was recorded (NULL) is kept.
 */

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaa-training-set-'));
  db = openDatabase(join(dir, 'project.gaa.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const normalImage = (categoryId: number) => ({
  categoryId,
  sourceId: null,
  kind: 'normal' as const,
  defectType: 'good',
  origin: 'train' as const,
  split: 'train' as const,
  sourcePath: '/data/tile/good/0.png',
  relPath: 'tile/good/0.png',
  width: 8,
  height: 8,
  channels: 1,
  bitDepth: 8,
  hash: 'h0',
  thumbBlob: null,
  hasError: false,
});

describe('the training set an export writes', () => {
  it('leaves out pairs that break the alignment rule or show no defect, each counted once under its reason', () => {
    const categoryId = upsertCategory(db, 'tile');
    const normal = insertImage(db, normalImage(categoryId), []);
    const mask = db.prepare(
      `INSERT INTO aligned_masks (category_id, cluster_id, cluster_name, normal_image_id, source_image_id, mode, inside_fraction,
         transform, seed, blob, width, height, area, created_at) VALUES (?, NULL, 'scratch', ?, NULL, 'inside', 1, '{}', ?, 'b.png', 8, 8, 4, ?)`,
    );
    const sample = db.prepare(
      `INSERT INTO samples (category_id, cluster_id, cluster_name, aligned_mask_id, normal_image_id, generator, generator_version,
         params, seed, blend_mode, image_blob, mask_blob, width, height, created_at, outside_change_max, outside_over, inside_visible, contrast_ratio)
       VALUES (?, NULL, 'scratch', ?, ?, 'exemplar', '3', '{}', ?, 'mixed', 'i.png', 'b.png', 8, 8, ?, ?, ?, ?, ?)`,
    );
    // [outside_over, inside_visible, contrast_ratio] per pair; the fifth sits exactly on both floors
    // (a tenth visible, half the cluster's contrast), the seventh is visible but too faint.
    const rows: [number | null, number | null, number | null][] = [
      [0, 0.5, 1.2],
      [null, null, null],
      [0, 0.05, 1],
      [3, 0.5, 1],
      [0, 0.1, 0.5],
      [2, 0, 0.1],
      [0, 0.9, 0.3],
      [0, 0.9, null],
    ];
    const ids = rows.map(([over, visible, ratio], k) => {
      const maskId = Number(mask.run(categoryId, normal, k, nowIso()).lastInsertRowid);
      return Number(sample.run(categoryId, maskId, normal, k, nowIso(), over === null ? null : 9, over, visible, ratio).lastInsertRowid);
    });
    const set = trainingSet(db, { categoryId, selection: 'all', includeReal: false, realShare: 0.5, minContrast: 0.5 });
    expect(set.synthetic.map((s) => s.id)).toEqual([ids[0], ids[1], ids[4], ids[7]]);
    // The sixth pair breaks both rules: it counts under the alignment rule, checked first.
    expect(set.leftOut).toMatchObject({ breaksAlignment: 2, invisible: 2, stale: 0 });
    expect(set.leftOut.byCluster).toEqual([{ category: 'tile', cluster: 'scratch', stale: 0, unscored: 0, invisible: 2 }]);
    // Without the contrast floor (the default) the faint but visible seventh pair stays.
    const plain = trainingSet(db, { categoryId, selection: 'all', includeReal: false, realShare: 0.5 });
    expect(plain.synthetic.map((s) => s.id)).toEqual([ids[0], ids[1], ids[4], ids[6], ids[7]]);
    expect(plain.leftOut).toMatchObject({ breaksAlignment: 2, invisible: 1 });
  });
});
