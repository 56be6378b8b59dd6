import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScanResult } from '../../../../src-main/core/dataset';
import { decodeItem, detectLayout, scanDataset } from '../../../../src-main/io/dataset-reader';
import { makeTempDir, writeImage, writeRectMask, writeText } from './fixtures';

const tmp = makeTempDir('mvtec');
const root = path.join(tmp.dir, 'mvtec_anomaly_detection');
const bottle = path.join(root, 'bottle');
const cable = path.join(root, 'cable');
// "ü" composed (NFC) in the image name, decomposed (NFD) in the mask name, as after a copy from macOS.
const oddImage = 'scratch #1 50% ü.png';
const oddMask = 'scratch #1 50% u\u0308_mask.png';

beforeAll(async () => {
  await writeImage(path.join(bottle, 'train/good/000.png'), { seed: 1 });
  await writeImage(path.join(bottle, 'train/good/001.png'), { seed: 2 });
  writeText(path.join(bottle, 'train/good/.DS_Store'), 'junk');
  writeText(path.join(bottle, 'train/good/notes.txt'), 'not an image');
  await writeImage(path.join(bottle, 'test/good/000.png'), { seed: 3 });
  for (const stem of ['000', '001', '002']) await writeImage(path.join(bottle, `test/broken_large/${stem}.png`), { seed: 4 });
  await writeRectMask(path.join(bottle, 'ground_truth/broken_large/000_mask.png'), [0, 0, 4, 4]);
  // 001_mask is missing: pairing by sorted position would hand 002_mask to 001.
  await writeRectMask(path.join(bottle, 'ground_truth/broken_large/002_mask.png'), [2, 3, 5, 6]);
  await writeImage(path.join(bottle, 'test/broken_large', oddImage), { seed: 5 });
  await writeRectMask(path.join(bottle, 'ground_truth/broken_large', oddMask), [10, 10, 3, 3]);

  await writeImage(path.join(cable, 'train/good/000.png'), { seed: 6 });
  await writeImage(path.join(cable, 'test/crack/000.png'), { seed: 7 });
  await writeRectMask(path.join(cable, 'ground_truth/crack/000_mask.png'), [1, 1, 2, 2]);
  await writeRectMask(path.join(cable, 'ground_truth/crack/005_mask.png'), [1, 1, 2, 2]);
  await writeRectMask(path.join(cable, 'ground_truth/poke/000_mask.png'), [1, 1, 2, 2]);
  writeText(path.join(root, 'license.txt'), 'CC BY-NC-SA 4.0');
  writeText(path.join(root, 'docs/readme.txt'), 'not a category');
});
afterAll(() => tmp.cleanup());

function find(result: ScanResult, rel: string) {
  return result.items.find((i) => i.relPath === rel);
}

describe('MVTec AD scan', () => {
  it('detects the MVTec layout from a whole dataset root and from one category folder', async () => {
    expect(await detectLayout(root)).toBe('mvtec');
    expect(await detectLayout(bottle)).toBe('mvtec');
  });

  it('reads every category of a dataset root and skips folders that are not categories', async () => {
    const result = await scanDataset(root, 'auto');
    expect(result.layout).toBe('mvtec');
    expect(result.categories.map((c) => c.name)).toEqual(['bottle', 'cable']);
    const bottleItems = result.items.filter((i) => i.category === 'bottle');
    expect(bottleItems.filter((i) => i.origin === 'train').map((i) => i.relPath)).toEqual([
      'bottle/train/good/000.png',
      'bottle/train/good/001.png',
    ]);
    expect(find(result, 'bottle/test/good/000.png')).toMatchObject({ kind: 'normal', defectType: 'good', origin: 'test', maskPaths: [] });
    expect(result.items).toHaveLength(2 + 1 + 3 + 2);
  });

  it('pairs images and masks by stem, reporting the image whose mask is missing', async () => {
    const result = await scanDataset(root, 'mvtec');
    expect(find(result, 'bottle/test/broken_large/002.png')).toMatchObject({
      kind: 'anomaly',
      defectType: 'broken_large',
      origin: 'test',
      maskPaths: [path.join(bottle, 'ground_truth/broken_large/002_mask.png')],
    });
    expect(find(result, 'bottle/test/broken_large/001.png')).toBeUndefined();
    const missing = result.errors.find((e) => e.file === path.join(bottle, 'test/broken_large/001.png'));
    expect(missing?.reason).toContain('bottle/ground_truth/broken_large/001_mask.png');
  });

  it('reports a mask with no image and a mask folder with no test folder', async () => {
    const result = await scanDataset(root, 'mvtec');
    const files = result.errors.map((e) => e.file);
    expect(files).toContain(path.join(cable, 'ground_truth/crack/005_mask.png'));
    expect(files).toContain(path.join(cable, 'ground_truth/poke'));
    expect(result.errors).toHaveLength(3);
  });

  it('pairs odd file names with spaces, #, % and differently normalised unicode', async () => {
    const result = await scanDataset(root, 'mvtec');
    const item = find(result, `bottle/test/broken_large/${oddImage}`);
    expect(item?.maskPaths).toEqual([path.join(bottle, 'ground_truth/broken_large', oddMask)]);
    const decoded = await decodeItem(item!, { limitInputPixels: 1e6 });
    expect(decoded.masks.map((m) => [m.role, m.area])).toEqual([['union', 9]]);
  });

  it('reads a single category folder with paths relative to it', async () => {
    const result = await scanDataset(bottle, 'auto');
    expect(result.categories.map((c) => c.name)).toEqual(['bottle']);
    expect(result.items.map((i) => i.relPath)).toContain('test/broken_large/002.png');
    expect(result.items.every((i) => path.isAbsolute(i.imagePath))).toBe(true);
  });

  it('decodes a paired item into a union mask of the drawn rectangle', async () => {
    const result = await scanDataset(bottle, 'mvtec');
    const decoded = await decodeItem(find(result, 'test/broken_large/002.png')!, { limitInputPixels: 1e6 });
    expect(decoded.masks).toHaveLength(1);
    expect(decoded.masks[0]).toMatchObject({ role: 'union', regionIndex: null, width: 32, height: 32, area: 5 * 6 });
    expect(decoded.masks[0].sourcePath).toBe(path.join(bottle, 'ground_truth/broken_large/002_mask.png'));
  });
});
