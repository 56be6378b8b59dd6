import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { codecExportPixels } from '../../src-main/io/export-writer/pixels';

// Issue 12, item 7: a JPEG tagged with EXIF orientation 6 ("turn 90° clockwise to show") is
// 50×40 as stored, and so is its mask. The project keeps one orientation, the stored one: it is
// decoded, stored, served and exported 50×40, so what a browser shows lines up with the mask.
const W = 50;
const H = 40;
let work: string;
let engine: Engine;
let imageId: number;

/** A left-right ramp, so a turned copy is told apart from the stored one by its pixels too. */
function ramp(): Buffer {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px.fill(Math.round((255 * x) / (W - 1)), (y * W + x) * 3, (y * W + x) * 3 + 3);
  return px;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-exif-'));
  const root = join(work, 'dataset');
  mkdirSync(join(root, 'good'), { recursive: true });
  mkdirSync(join(root, 'dent'), { recursive: true });
  for (const name of ['a', 'b', 'c']) await sharp(ramp(), { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(root, 'good', `${name}.png`));
  await sharp(ramp(), { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(join(root, 'dent', 'turned.jpg'));
  const mask = Buffer.alloc(W * H);
  for (let y = 5; y < 15; y++) for (let x = 30; x < 45; x++) mask[y * W + x] = 255;
  await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toFile(join(root, 'dent', 'turned_mask.png'));
  expect((await sharp(join(root, 'dent', 'turned.jpg')).metadata()).orientation).toBe(6);

  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  const { jobId } = await engine.call('dataset.import', { source: root, layout: 'folder' });
  expect((await engine.waitForJob(jobId)).status).toBe('done');
  const cat = (await engine.call('project.info', {})).categories[0];
  const page = await engine.call('dataset.listImages', { categoryId: cat.id, kind: 'anomaly', offset: 0, limit: 10 });
  expect(page.items).toHaveLength(1);
  imageId = page.items[0].id;
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('EXIF orientation', () => {
  it('stores the image at its stored size, with its mask of the same size', async () => {
    const detail = await engine.call('dataset.image', { imageId });
    expect([detail.width, detail.height]).toEqual([W, H]);
    expect(detail.masks).toHaveLength(1);
    const m = await sharp(detail.masks[0].file).metadata();
    expect([m.width, m.height]).toEqual([W, H]);
  });

  it('serves the image untagged at its stored size, so a browser shows it as the mask was drawn', async () => {
    for (const kind of ['image', 'thumb'] as const) {
      const served = await engine.resolveImage(`${kind}/${imageId}`);
      expect(served, kind).not.toBeNull();
      const meta = await sharp(readFileSync(served!.filePath)).metadata();
      // A browser applies any orientation tag; none is left, so it shows the stored width and height.
      expect(meta.orientation ?? 1, kind).toBe(1);
      expect(meta.width! / meta.height!, kind).toBeCloseTo(W / H, 1);
    }
    // The served pixels are the stored ones: dark on the left, bright on the right.
    const served = await engine.resolveImage(`image/${imageId}`);
    const { data, info } = await sharp(served!.filePath).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([W, H]);
    expect(data[Math.floor(H / 2) * W + 2]).toBeLessThan(30);
    expect(data[Math.floor(H / 2) * W + W - 3]).toBeGreaterThan(225);
  });

  it('exports the stored pixels with no orientation tag', async () => {
    const detail = await engine.call('dataset.image', { imageId });
    const out = await codecExportPixels.loadPng({ path: detail.sourcePath });
    const meta = await sharp(out.png).metadata();
    expect([out.width, out.height, meta.width, meta.height]).toEqual([W, H, W, H]);
    expect(meta.orientation ?? 1).toBe(1);
    // A PNG can carry the tag too (eXIf); it is not copied byte for byte then.
    const taggedPng = await sharp(ramp(), { raw: { width: W, height: H, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(taggedPng).metadata()).orientation).toBe(6);
    const fromPng = await codecExportPixels.loadPng({ png: taggedPng });
    const pngMeta = await sharp(fromPng.png).metadata();
    expect([pngMeta.width, pngMeta.height, pngMeta.orientation ?? 1]).toEqual([W, H, 1]);
  });
});
