/**
 * A minimal MVTec-style dataset written with sharp: one category `widget`, three normal
 * images, two cracks with an 8×12 mask each, and optionally two broken cracks that the
 * import must report per item (METHOD.md §0): an all-zero mask and a mask whose size
 * differs from its image.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const TINY = { normal: 3, goodAnomalies: 2, maskArea: 8 * 12, brokenStems: ['002', '003'] } as const;
/** Every image file, broken or not: each is listed (items with errors are flagged, not dropped). */
export const tinyImageFiles = (broken: boolean) => TINY.normal + TINY.goodAnomalies + (broken ? TINY.brokenStems.length : 0);

const SIZE = 32;

function gray(v: number, size = SIZE) {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: v, g: v, b: v } } }).png();
}

function mask(size: number, on: boolean) {
  const px = Buffer.alloc(size * size);
  if (on) for (let y = 8; y < 16; y++) for (let x = 8; x < 20; x++) px[y * size + x] = 255;
  return sharp(px, { raw: { width: size, height: size, channels: 1 } }).png();
}

export async function writeTinyDataset(root: string, opts: { broken?: boolean } = {}): Promise<void> {
  const cat = join(root, 'widget');
  for (const d of ['train/good', 'test/good', 'test/crack', 'ground_truth/crack']) mkdirSync(join(cat, d), { recursive: true });
  await gray(120).toFile(join(cat, 'train/good/000.png'));
  await gray(124).toFile(join(cat, 'train/good/001.png'));
  await gray(128).toFile(join(cat, 'test/good/000.png'));
  // Distinct pixels per file: the import drops exact duplicates.
  for (const [n, v] of [['000', 90], ['001', 95]] as const) {
    await gray(v).toFile(join(cat, `test/crack/${n}.png`));
    await mask(SIZE, true).toFile(join(cat, `ground_truth/crack/${n}_mask.png`));
  }
  if (opts.broken) {
    await gray(80).toFile(join(cat, 'test/crack/002.png'));
    await mask(SIZE, false).toFile(join(cat, 'ground_truth/crack/002_mask.png'));
    await gray(70).toFile(join(cat, 'test/crack/003.png'));
    await mask(SIZE / 2, true).toFile(join(cat, 'ground_truth/crack/003_mask.png'));
  }
}
