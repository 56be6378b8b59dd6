import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewExport, type ExportRequest, type ExportResult, type Manifest } from '../../../../src-main/core/export';
import { exportDataset } from '../../../../src-main/io/export-writer';
import { grayPng, makeTempDir, maskFrom, pair, rgbPng, walk } from './fixtures';

const W = 24;
const H = 16;

/**
 * Issue 12, item 12: the MVTec export holds test/good (normal images held out of training) so
 * anomalib can evaluate on it, and a preview says before writing what each format will hold.
 */
describe('MVTec export with held-out normals, and its preview', () => {
  const tmp = makeTempDir('held-out');
  let req: ExportRequest;
  let result: ExportResult;
  let progressTotal = 0;

  beforeAll(async () => {
    const file = async (name: string, png: Promise<Buffer>) => {
      const p = path.join(tmp.dir, name);
      writeFileSync(p, await png);
      return p;
    };
    const mask = await file('mask.png', grayPng(W, H, maskFrom(W, H, (x, y) => (x > 4 && x < 12 && y > 3 && y < 9 ? 255 : 0))));
    req = {
      outDir: path.join(tmp.dir, 'out'),
      name: 'run',
      formats: ['mvtec', 'coco', 'yolo'],
      pairs: [
        pair({ cluster: 'crack', image: { path: await file('a.png', rgbPng(W, H, 1)) }, mask: { path: mask } }),
        pair({ cluster: 'crack', image: { path: await file('b.png', rgbPng(W, H, 2)) }, mask: { path: mask } }),
        pair({ cluster: 'hole', image: { path: await file('c.png', rgbPng(W, H, 3)) }, mask: { path: mask }, source: 'real', normalImage: null, generator: 'real', seed: null }),
      ],
      normals: [{ category: 'bottle', path: await file('n0.png', rgbPng(W, H, 10)) }],
      heldOutNormals: [
        { category: 'bottle', path: await file('h0.png', rgbPng(W, H, 20)) },
        { category: 'bottle', path: await file('h1.png', rgbPng(W, H, 21)) },
      ],
    };
    result = await exportDataset(req, { onProgress: (_, total) => (progressTotal = total) });
  });
  afterAll(() => tmp.cleanup());

  it('writes the held-out normals to <category>/test/good beside the defect folders, counted and in the manifest', () => {
    const files = walk(result.root);
    expect(files.filter((f) => f.startsWith('bottle/test/good/'))).toEqual(['bottle/test/good/000.png', 'bottle/test/good/001.png']);
    expect(files.filter((f) => f.startsWith('bottle/train/good/'))).toEqual(['bottle/train/good/000.png']);
    expect(result.counts.bottle).toEqual({ crack: 2, hole: 1, good: 1, 'test/good': 2 });
    const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8')) as Manifest;
    expect(manifest.normals.map((n) => n.image).sort()).toEqual(['bottle/test/good/000.png', 'bottle/test/good/001.png', 'bottle/train/good/000.png']);
    expect(progressTotal).toBe(result.files);
  });

  it('previews per cluster and format what the export then wrote, and its number of files', () => {
    const preview = previewExport(req);
    expect(preview.formats).toEqual(['mvtec', 'coco', 'yolo']);
    expect(preview.files).toBe(walk(result.root).length);
    expect(preview.files).toBe(result.files);
    expect(preview.rows.map((r) => [r.cluster, r.kind, r.images, r.real, r.perFormat])).toEqual([
      ['crack', 'pairs', 2, 0, { mvtec: 2, coco: 2, yolo: 2 }],
      ['hole', 'pairs', 1, 1, { mvtec: 1, coco: 1, yolo: 1 }],
      ['good', 'normals', 1, 0, { mvtec: 1, coco: 0, yolo: 0 }],
      ['test/good', 'heldOutNormals', 2, 0, { mvtec: 2, coco: 0, yolo: 0 }],
    ]);
    // Each pairs row matches what the MVTec layout holds on disk.
    const files = walk(result.root);
    for (const r of preview.rows.filter((x) => x.kind === 'pairs')) expect(files.filter((f) => f.startsWith(`bottle/test/${r.cluster}/`))).toHaveLength(r.images);
  });
});
