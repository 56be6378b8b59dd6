import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemDecodeError, type ScanItem } from '../../../../src-main/core/dataset';
import { decodeItem } from '../../../../src-main/io/dataset-reader';
import { grayPixels, makeTempDir, SIZE, writeBmp24, writeGray, writeImage, writeRectMask, writeText } from './fixtures';

const tmp = makeTempDir('decode');
const at = (name: string) => path.join(tmp.dir, name);
const opts = { limitInputPixels: 1e6 };

function item(image: string, masks: string[] = []): ScanItem {
  return {
    category: 'c',
    imagePath: at(image),
    relPath: image,
    kind: masks.length ? 'anomaly' : 'normal',
    defectType: masks.length ? 'd' : 'good',
    origin: 'test',
    maskPaths: masks.map(at),
    regionMasks: false,
  };
}

/** The ItemDecodeError `decodeItem` throws, checked to be one. */
async function failure(it: ScanItem, limit = opts.limitInputPixels): Promise<ItemDecodeError> {
  const err = await decodeItem(it, { limitInputPixels: limit }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ItemDecodeError);
  return err as ItemDecodeError;
}

beforeAll(async () => {
  await writeImage(at('gray.png'), { channels: 1 });
  await writeImage(at('rgba.png'), { channels: 4 });
  await writeImage(at('photo.jpg'), { channels: 3 });
  await writeImage(at('wide.png'), { width: 40, height: 20 });
  await writeGray(at('deep.png'), new Uint16Array(SIZE * SIZE).fill(4000), SIZE, SIZE);
  writeBmp24(at('picture.bmp'), 6, 4, (x, y) => [x * 40, y * 60, 100]);
  writeBmp24(at('flat.bmp'), 16, 16, () => [200, 180, 100]);
  // One lit pixel near the top-left and a 2-pixel run at the bottom-right tell row order apart.
  writeBmp24(at('corner_mask.bmp'), SIZE, SIZE, (x, y) => ((x === 1 && y === 0) || (y === 31 && x >= 30) ? [255, 255, 255] : [0, 0, 0]));
  await writeRectMask(at('good_mask.png'), [0, 0, 2, 2]);
  await writeRectMask(at('narrow_mask.png'), [0, 0, 2, 2], { width: 30, height: SIZE });
  await writeRectMask(at('empty_mask.png'), [0, 0, 0, 0]);
  writeText(at('random.png'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 89 + 7) % 256)));
  const whole = readFileSync(at('wide.png'));
  writeFileSync(at('half.png'), whole.subarray(0, whole.length >> 1));
  await writeImage(at('full.jpg'), { width: 64, height: 64 });
  const jpeg = readFileSync(at('full.jpg'));
  writeFileSync(at('half.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  const rle = Buffer.alloc(60);
  rle.write('BM', 0, 'latin1');
  rle.writeUInt32LE(54, 10);
  rle.writeUInt32LE(40, 14);
  rle.writeInt32LE(2, 18);
  rle.writeInt32LE(2, 22);
  rle.writeUInt16LE(8, 28);
  rle.writeUInt32LE(1, 30); // BI_RLE8
  writeText(at('rle.bmp'), rle);
});
afterAll(() => tmp.cleanup());

describe('decodeItem', () => {
  it('reports size, channels and depth of gray, RGBA, JPEG, 16-bit and BMP images', async () => {
    const shapes = [];
    for (const name of ['gray.png', 'rgba.png', 'photo.jpg', 'deep.png', 'picture.bmp']) {
      const d = await decodeItem(item(name), opts);
      shapes.push([name, d.width, d.height, d.channels, d.bitDepth, d.masks.length]);
    }
    expect(shapes).toEqual([
      ['gray.png', 32, 32, 1, 8, 0],
      ['rgba.png', 32, 32, 4, 8, 0],
      ['photo.jpg', 32, 32, 3, 8, 0],
      ['deep.png', 32, 32, 1, 16, 0],
      ['picture.bmp', 6, 4, 3, 8, 0],
    ]);
  });

  it('hashes the image file bytes with sha256', async () => {
    const expected = createHash('sha256').update(readFileSync(at('photo.jpg'))).digest('hex');
    expect((await decodeItem(item('photo.jpg'), opts)).hash).toBe(expected);
  });

  it('makes a JPEG thumbnail whose longest side is the thumbnail size', async () => {
    const d = await decodeItem(item('wide.png'), { ...opts, thumbSize: 16 });
    const meta = await sharp(d.thumbnail).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 16, 8]);
  });

  it('never enlarges a thumbnail past the image', async () => {
    const meta = await sharp((await decodeItem(item('rgba.png'), opts)).thumbnail).metadata();
    expect([meta.width, meta.height]).toEqual([32, 32]);
  });

  it('decodes BMP colours in RGB order', async () => {
    const d = await decodeItem(item('flat.bmp'), opts);
    const { data } = await sharp(d.thumbnail).raw().toBuffer({ resolveWithObject: true });
    // Written as [200, 180, 100]; JPEG allows a few levels of error on a flat colour.
    expect(Math.abs(data[0] - 200)).toBeLessThan(5);
    expect(Math.abs(data[1] - 180)).toBeLessThan(5);
    expect(Math.abs(data[2] - 100)).toBeLessThan(5);
  });

  it('decodes bottom-up BMP rows top row first', async () => {
    const d = await decodeItem(item('gray.png', ['corner_mask.bmp']), opts);
    const on = [...(await grayPixels(d.masks[0].png)).entries()].filter(([, v]) => v === 255).map(([i]) => i);
    expect(on).toEqual([1, 31 * SIZE + 30, 31 * SIZE + 31]);
  });
});

describe('decodeItem errors name the file and say what is wrong', () => {
  it('refuses random bytes with a .png name as not an image', async () => {
    const err = await failure(item('random.png'));
    expect(err.file).toBe(at('random.png'));
    expect(err.message).toBe(`${at('random.png')}: ${err.reason}`);
    expect(err.reason).toMatch(/corrupt or not in a supported format/);
  });

  it('refuses a PNG cut in half as truncated', async () => {
    const err = await failure(item('half.png'));
    expect(err.file).toBe(at('half.png'));
    expect(err.reason).toMatch(/truncated or corrupt/);
  });

  it('refuses a JPEG cut in half as truncated', async () => {
    expect((await failure(item('half.jpg'))).reason).toMatch(/truncated or corrupt/);
  });

  it('refuses a mask whose size differs from its image, giving both sizes', async () => {
    const err = await failure(item('gray.png', ['narrow_mask.png']));
    expect(err.file).toBe(at('narrow_mask.png'));
    expect(err.reason).toContain('30×32');
    expect(err.reason).toContain('32×32');
  });

  it('refuses an all-zero mask as empty', async () => {
    const err = await failure(item('gray.png', ['empty_mask.png']));
    expect(err.file).toBe(at('empty_mask.png'));
    expect(err.reason).toMatch(/mask is empty/);
  });

  it('refuses a corrupt mask, naming the mask', async () => {
    const err = await failure(item('gray.png', ['random.png']));
    expect(err.file).toBe(at('random.png'));
  });

  it('refuses a missing mask file', async () => {
    expect((await failure(item('gray.png', ['gone_mask.png']))).reason).toBe('file not found');
  });

  it('refuses an image over the pixel limit, naming the limit', async () => {
    const err = await failure(item('gray.png', ['good_mask.png']), 1000);
    expect(err.file).toBe(at('gray.png'));
    expect(err.reason).toContain('pixel limit of 1000');
    expect(err.reason).toContain('32×32 = 1024');
  });

  it('refuses a compressed BMP with a reason', async () => {
    expect((await failure(item('rle.bmp'))).reason).toMatch(/compressed .*BMP .*not supported/);
  });

  it('decodes the same image once its mask is fine', async () => {
    const d = await decodeItem(item('gray.png', ['good_mask.png']), opts);
    expect(d.masks.map((m) => [m.role, m.sourcePath, m.area])).toEqual([['union', at('good_mask.png'), 4]]);
  });
});
