import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CocoDocument, CocoRle, ExportResult } from '../../../../src-main/core/export';
import { rasterisePolygon, type Point } from '../../../../src-main/core/image/geometry';
import { exportDataset } from '../../../../src-main/io/export-writer';
import { grayPng, iou, makeTempDir, maskFrom, pair, rgbPng } from './fixtures';

const S = 64;
type Pred = (x: number, y: number) => boolean;

// The components of the "crack" mask, each defined by hand with its area and bbox worked out on paper.
const rect: Pred = (x, y) => x >= 3 && x < 13 && y >= 4 && y < 10; // 10×6
const ringOuter: Pred = (x, y) => x >= 40 && x < 49 && y >= 5 && y < 14; // 9×9
const ring: Pred = (x, y) => ringOuter(x, y) && !(x >= 43 && x < 46 && y >= 8 && y < 11); // 81 − 9
const stairs: Pred = (x, y) => x >= 5 && x < 15 && (y === 30 + (x - 5) || y === 31 + (x - 5)); // 2 per column
const diagonal: Pred = (x, y) => (x === 30 && y === 50) || (x === 31 && y === 51); // 8-connected only
const dot: Pred = (x, y) => x === 60 && y === 60;
const disc: Pred = (x, y) => (x + 0.5 - 50) ** 2 + (y + 0.5 - 45) ** 2 <= 64;

const components: Array<{ name: string; on: Pred; filled: Pred; area: number; bbox: number[]; rle: boolean }> = [
  { name: 'rect', on: rect, filled: rect, area: 60, bbox: [3, 4, 10, 6], rle: false },
  { name: 'ring', on: ring, filled: ringOuter, area: 72, bbox: [40, 5, 9, 9], rle: true },
  { name: 'stairs', on: stairs, filled: stairs, area: 20, bbox: [5, 30, 10, 11], rle: false },
  // A radius-8 disc centred on (50, 45): 16 columns × 16 rows, area counted below.
  { name: 'disc', on: disc, filled: disc, area: -1, bbox: [42, 37, 16, 16], rle: false },
  { name: 'diagonal', on: diagonal, filled: diagonal, area: 2, bbox: [30, 50, 2, 2], rle: false },
  { name: 'dot', on: dot, filled: dot, area: 1, bbox: [60, 60, 1, 1], rle: false },
];

function predMask(p: Pred): Uint8Array {
  return maskFrom(S, S, (x, y) => (p(x, y) ? 255 : 0));
}

function count(p: Pred): number {
  let n = 0;
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) if (p(x, y)) n++;
  return n;
}

/** Column-major uncompressed COCO RLE, decoded the way pycocotools documents it. */
function decodeRle(rle: CocoRle): Uint8Array {
  const [h, w] = rle.size;
  const out = new Uint8Array(h * w);
  let pos = 0;
  let on = false;
  for (const run of rle.counts) {
    for (let k = pos; k < pos + run; k++) if (on) out[(k % h) * w + Math.floor(k / h)] = 255;
    pos += run;
    on = !on;
  }
  expect(pos).toBe(h * w);
  return out;
}

function pairsOf(flat: number[]): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i < flat.length; i += 2) pts.push([flat[i], flat[i + 1]]);
  return pts;
}

describe('COCO, YOLO-seg and anomalib Folder exports', () => {
  const tmp = makeTempDir('formats');
  let result: ExportResult;
  const totals = new Set<number>();
  let lastDone = 0;

  beforeAll(async () => {
    components[3].area = count(disc);
    const union: Pred = (x, y) => components.some((c) => c.on(x, y));
    const crackMaskPng = await grayPng(S, S, predMask(union));
    const holeMask = await grayPng(S, S, predMask((x, y) => x >= 10 && x < 20 && y >= 20 && y < 25));
    const normalPath = path.join(tmp.dir, 'normal.png');
    writeFileSync(normalPath, await rgbPng(S, S, 9));
    result = await exportDataset({
      outDir: path.join(tmp.dir, 'out'),
      name: 'x',
      formats: ['coco', 'yolo', 'folder'],
      normals: [{ category: 'tile', path: normalPath }],
      pairs: [
        pair({ category: 'tile', cluster: 'crack', image: { png: await rgbPng(S, S, 1) }, mask: { png: crackMaskPng } }),
        pair({ category: 'tile', cluster: 'hole', image: { png: await rgbPng(S, S, 2) }, mask: { png: holeMask } }),
      ],
    }, {
      onProgress: (done, total) => {
        totals.add(total);
        lastDone = done;
      },
    });
  });
  afterAll(() => tmp.cleanup());

  it('lists the clusters as COCO categories and points images at the MVTec copies', () => {
    const coco = JSON.parse(readFileSync(path.join(result.root, 'coco/tile.json'), 'utf8')) as CocoDocument;
    expect(coco.categories.map((c) => [c.id, c.name])).toEqual([
      [1, 'crack'],
      [2, 'hole'],
    ]);
    expect(coco.images.map((i) => [i.id, i.file_name, i.width, i.height])).toEqual([
      [1, 'tile/test/crack/000.png', S, S],
      [2, 'tile/test/hole/000.png', S, S],
    ]);
    for (const image of coco.images) expect(existsSync(path.join(result.root, image.file_name))).toBe(true);
  });

  it('writes one COCO annotation per 8-connected component whose shape, area and bbox match it', () => {
    const coco = JSON.parse(readFileSync(path.join(result.root, 'coco/tile.json'), 'utf8')) as CocoDocument;
    const crack = coco.annotations.filter((a) => a.image_id === 1);
    expect(crack).toHaveLength(components.length);
    expect(new Set(coco.annotations.map((a) => a.id)).size).toBe(coco.annotations.length);
    for (const c of components) {
      const ann = crack.find((a) => a.bbox.join() === c.bbox.join());
      expect(ann, c.name).toBeDefined();
      expect(ann!.area, c.name).toBe(c.area);
      expect(ann!.category_id).toBe(1);
      expect(ann!.iscrowd).toBe(0);
      const truth = predMask(c.on);
      if (c.rle) {
        expect(Array.isArray(ann!.segmentation), c.name).toBe(false);
        expect(decodeRle(ann!.segmentation as CocoRle)).toEqual(truth);
      } else {
        const rings = (ann!.segmentation as number[][]).map(pairsOf);
        expect(rings).toHaveLength(1);
        expect(rings[0].length).toBeGreaterThanOrEqual(3);
        expect(iou(rasterisePolygon(rings, S, S).data, truth), c.name).toBeGreaterThanOrEqual(0.98);
      }
    }
    const hole = coco.annotations.filter((a) => a.image_id === 2);
    expect(hole.map((a) => [a.category_id, a.area, a.bbox])).toEqual([[2, 50, [10, 20, 10, 5]]]);
  });

  it('writes YOLO-seg labels in [0, 1] that denormalise to the components', () => {
    const dir = path.join(result.root, 'yolo/tile');
    expect(readdirSync(path.join(dir, 'images')).sort()).toEqual(['crack_000.png', 'hole_000.png']);
    expect(readdirSync(path.join(dir, 'labels')).sort()).toEqual(['crack_000.txt', 'hole_000.txt']);
    const lines = readFileSync(path.join(dir, 'labels/crack_000.txt'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(components.length);
    const polygons = lines.map((line) => {
      const [cls, ...coords] = line.split(' ').map(Number);
      expect(cls).toBe(0);
      expect(coords.length % 2).toBe(0);
      for (const v of coords) expect(v >= 0 && v <= 1, `${v}`).toBe(true);
      return pairsOf(coords.map((v) => v * S));
    });
    // YOLO-seg has no holes: the ring is labelled by its outer contour.
    for (const c of components) {
      const truth = predMask(c.filled);
      const best = Math.max(...polygons.map((p) => iou(rasterisePolygon([p], S, S).data, truth)));
      expect(best, c.name).toBeGreaterThanOrEqual(0.98);
    }
    const hole = readFileSync(path.join(dir, 'labels/hole_000.txt'), 'utf8').trim().split(' ').map(Number);
    expect(hole[0]).toBe(1);
    const holeTruth = predMask((x, y) => x >= 10 && x < 20 && y >= 20 && y < 25);
    expect(iou(rasterisePolygon([pairsOf(hole.slice(1).map((v) => v * S))], S, S).data, holeTruth)).toBe(1);
    const yaml = readFileSync(path.join(dir, 'data.yaml'), 'utf8');
    expect(yaml).toContain('train: images\n');
    expect(yaml).toContain('names:\n  0: "crack"\n  1: "hole"\n');
  });

  it('gives anomalib Folder abnormal images and masks the same file names', () => {
    const dir = path.join(result.root, 'folder/tile');
    const abnormal = readdirSync(path.join(dir, 'abnormal')).sort();
    expect(abnormal).toEqual(['crack_000.png', 'hole_000.png']);
    expect(readdirSync(path.join(dir, 'mask')).sort()).toEqual(abnormal);
    expect(readdirSync(path.join(dir, 'normal'))).toEqual(['000.png']);
    const groundTruth = readFileSync(path.join(result.root, 'tile/ground_truth/crack/000_mask.png'));
    expect(readFileSync(path.join(dir, 'mask/crack_000.png')).equals(groundTruth)).toBe(true);
    const yaml = readFileSync(path.join(result.root, 'folder/tile.yaml'), 'utf8');
    expect(yaml).toContain('class_path: anomalib.data.Folder\n');
    expect(yaml).toContain(`  root: ${JSON.stringify(path.join(result.root, 'folder/tile'))}\n`);
    expect(yaml).toContain('  normal_dir: normal\n  abnormal_dir: abnormal\n  mask_dir: mask\n');
  });

  it('counts every written file in the result', () => {
    const all: string[] = [];
    const visit = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) visit(path.join(d, e.name));
        else all.push(e.name);
      }
    };
    visit(result.root);
    // MVTec 1 + 4, Folder 1 + 4 + yaml, COCO 1, YOLO 4 + data.yaml, manifest.
    expect(all).toHaveLength(1 + 4 + 6 + 1 + 5 + 1);
    expect(result.files).toBe(all.length);
    expect([...totals]).toEqual([all.length]);
    expect(lastDone).toBe(all.length);
  });
});
