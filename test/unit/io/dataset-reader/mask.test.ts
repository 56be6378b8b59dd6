import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { binariseMask, type ScanItem } from '../../../../src-main/core/dataset';
import { decodeItem, type DecodedItem } from '../../../../src-main/io/dataset-reader';
import { grayPixels, makeTempDir, SIZE, writeBmp24, writeGray, writeImage } from './fixtures';

const tmp = makeTempDir('mask');
afterAll(() => tmp.cleanup());

/** Fills [x, y, w, h] of a SIZE×SIZE buffer with `value`. */
function fill(values: Uint8Array | Uint16Array, [x0, y0, w, h]: number[], value: number): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) values[y * SIZE + x] = value;
}

/** Decodes a 32×32 image with `mask` and returns the union mask's area. */
async function decodedArea(
  name: string,
  writeMask: (file: string) => Promise<void> | void,
  inspect: (decoded: DecodedItem) => void = () => {},
): Promise<number> {
  const imagePath = path.join(tmp.dir, `${name}.png`);
  const maskPath = path.join(tmp.dir, `${name}_mask${name.endsWith('bmp') ? '.bmp' : '.png'}`);
  await writeImage(imagePath);
  await writeMask(maskPath);
  const item: ScanItem = {
    category: 'c',
    imagePath,
    relPath: `${name}.png`,
    kind: 'anomaly',
    defectType: 'd',
    origin: 'test',
    maskPaths: [maskPath],
    regionMasks: false,
  };
  const decoded = await decodeItem(item, { limitInputPixels: 1e6 });
  inspect(decoded);
  return decoded.masks[0].area;
}

describe('binariseMask', () => {
  it('switches on soft-edge values at half of 255 and above', () => {
    const { data, area } = binariseMask(new Uint8Array([0, 60, 127, 128, 200, 255]));
    expect([...data]).toEqual([0, 0, 0, 255, 255, 255]);
    expect(area).toBe(3);
  });
  it('keeps every 1 of a 0/1 mask', () => {
    expect(binariseMask(new Uint8Array([0, 1, 1, 0, 1])).area).toBe(3);
  });
  it('thresholds at half of the mask’s own maximum, not of the type’s range', () => {
    expect([...binariseMask(new Uint8Array([0, 49, 50, 100])).data]).toEqual([0, 0, 255, 255]);
    // 16-bit: 2 × 32767 = 65534 < 65535, 2 × 32768 = 65536 >= 65535.
    expect(binariseMask(new Uint16Array([0, 1000, 32767, 32768, 65535])).area).toBe(2);
  });
  it('reports an all-zero mask as empty', () => {
    expect(binariseMask(new Uint16Array(9)).area).toBe(0);
  });
});

describe('mask files of every kind', () => {
  it('reads a 16-bit mask at its own depth', async () => {
    // Max 300: 150 is on (2×150 = 300), 149 is off. Read at 8 bits all three would become 1.
    const area = await decodedArea('sixteen', (file) => {
      const v = new Uint16Array(SIZE * SIZE);
      fill(v, [0, 0, 4, 4], 300);
      fill(v, [10, 10, 2, 3], 150);
      fill(v, [20, 20, 5, 1], 149);
      return writeGray(file, v, SIZE, SIZE);
    });
    expect(area).toBe(16 + 6);
  });

  it('reads a 0/1 mask as a non-empty mask', async () => {
    const area = await decodedArea('zero-one', (file) => {
      const v = new Uint8Array(SIZE * SIZE);
      fill(v, [5, 5, 3, 3], 1);
      return writeGray(file, v, SIZE, SIZE);
    });
    expect(area).toBe(9);
  });

  it('keeps an anti-aliased edge at 128 and drops the fringe at 127', async () => {
    const area = await decodedArea('soft', (file) => {
      const v = new Uint8Array(SIZE * SIZE);
      fill(v, [8, 8, 8, 8], 127);
      fill(v, [9, 9, 6, 6], 128);
      fill(v, [10, 10, 4, 4], 255);
      return writeGray(file, v, SIZE, SIZE);
    });
    expect(area).toBe(36); // the 6×6 square; its 8×8 fringe (28 pixels) stays off
  });

  it('reads a palette mask, including a coloured label', async () => {
    const area = await decodedArea('palette', async (file) => {
      const rgb = Buffer.alloc(SIZE * SIZE * 3);
      for (let y = 2; y < 6; y++) for (let x = 2; x < 7; x++) rgb[(y * SIZE + x) * 3 + 1] = 255;
      await sharp(rgb, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png({ palette: true, colours: 2 }).toFile(file);
      expect((await sharp(file).metadata()).isPalette).toBe(true);
    });
    expect(area).toBe(20);
  });

  it('counts a pure red label as fully on beside a white one', async () => {
    // By luminance red would be 54 of 255, under half; the brightest channel makes it 255.
    const area = await decodedArea('red-white', async (file) => {
      const rgb = Buffer.alloc(SIZE * SIZE * 3);
      for (let x = 0; x < 4; x++) rgb.set([255, 0, 0], x * 3);
      for (let x = 0; x < 2; x++) rgb.set([255, 255, 255], (SIZE + x) * 3);
      await sharp(rgb, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(file);
    });
    expect(area).toBe(6);
  });

  it('treats transparent pixels of an RGBA mask as background', async () => {
    const area = await decodedArea('rgba', async (file) => {
      const rgba = Buffer.alloc(SIZE * SIZE * 4, 255);
      for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
      for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) rgba[(y * SIZE + x) * 4 + 3] = 255;
      await sharp(rgba, { raw: { width: SIZE, height: SIZE, channels: 4 } }).png().toFile(file);
    });
    expect(area).toBe(9);
  });

  it('reads an uncompressed BMP mask', async () => {
    const area = await decodedArea('mask-bmp', (file) =>
      writeBmp24(file, SIZE, SIZE, (x, y) => (x >= 30 && y < 2 ? [255, 255, 255] : [0, 0, 0])),
    );
    expect(area).toBe(4);
  });

  it('stores the decoded mask as a one-channel 0/255 PNG', async () => {
    let png: Buffer | undefined;
    const area = await decodedArea('stored', (file) => {
      const v = new Uint8Array(SIZE * SIZE);
      fill(v, [1, 1, 3, 3], 1);
      return writeGray(file, v, SIZE, SIZE);
    }, (decoded) => (png = decoded.masks[0].png));
    expect(area).toBe(9);
    expect((await sharp(png!).metadata()).channels).toBe(1);
    const data = await grayPixels(png!);
    expect(new Set(data)).toEqual(new Set([0, 255]));
    expect(data.filter((v) => v === 255).length).toBe(9);
    expect(data[1 * SIZE + 1]).toBe(255);
    expect(data[0]).toBe(0);
  });
});
