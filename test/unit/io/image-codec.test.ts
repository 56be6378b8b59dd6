import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ItemDecodeError } from '../../../src-main/core/dataset';
import {
  encodeMaskPng,
  encodeRasterPng,
  encodeSamplePng,
  loadMask,
  loadRaster,
  MAX_INPUT_PIXELS,
  openImage,
} from '../../../src-main/io/image-codec';
import { writeBmp24 } from './dataset-reader/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'gaa-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

describe('the image codec', () => {
  it('has one pixel limit, 16k × 16k, and names an image over a limit with its size', async () => {
    expect(MAX_INPUT_PIXELS).toBe(16384 * 16384);
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } }).png().toFile(at('big.png'));
    const err = await loadRaster(at('big.png'), 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ItemDecodeError);
    expect((err as ItemDecodeError).reason).toBe('image is 40×30 = 1200 pixels, over the pixel limit of 1000 pixels');
    expect((await loadRaster(at('big.png'))).width).toBe(40);
  });

  it('reads a mask’s first band from a file, from bytes and from a BMP alike', async () => {
    const mask = new Uint8Array(6 * 4);
    mask[7] = 255;
    const png = await encodeMaskPng(mask, 6, 4);
    expect((await sharp(png).metadata()).channels).toBe(1);
    writeFileSync(at('m.png'), png);
    writeBmp24(at('m.bmp'), 6, 4, (x, y) => (y * 6 + x === 7 ? [255, 255, 255] : [0, 0, 0]));
    for (const input of [at('m.png'), { bytes: png }, at('m.bmp')]) {
      const m = await loadMask(input);
      expect([m.width, m.height, Array.from(m.data)]).toEqual([6, 4, Array.from(mask)]);
    }
  });

  it('encodes a gray raster as a gray PNG and a colour one as RGB, losslessly', async () => {
    for (const channels of [1, 3] as const) {
      const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
      const file = at(`r${channels}.png`);
      writeFileSync(file, await encodeRasterPng({ width: 5, height: 3, channels, data }));
      const back = await loadRaster(file);
      expect([back.channels, Array.from(back.data)]).toEqual([channels, Array.from(data)]);
    }
  });

  it('stores generated images at a fast zlib level (FLEVEL "fast"), with the same pixels as the default level', async () => {
    /** FLEVEL of the first IDAT's zlib header (RFC 1950): 0 fastest, 1 fast, 2 default (6), 3 maximum. */
    const zlibLevel = (png: Buffer) => png[png.indexOf('IDAT', 8, 'latin1') + 5] >> 6;
    const data = Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 2654435761) >>> 24);
    const raster = { width: 64, height: 48, channels: 3 as const, data };
    const sample = await encodeSamplePng(raster);
    expect(zlibLevel(await encodeRasterPng(raster))).toBe(2);
    expect(zlibLevel(sample)).toBe(1);
    writeFileSync(at('sample.png'), sample);
    expect(Array.from((await loadRaster(at('sample.png'))).data)).toEqual(Array.from(data));
    expect((await encodeSamplePng(raster)).equals(sample)).toBe(true);
  });

  it('refuses a file that is not an image with a reason, not a decoder stack', async () => {
    writeFileSync(at('text.png'), 'not a picture');
    const err = await openImage(at('text.png')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ItemDecodeError);
    expect((err as ItemDecodeError).reason).toMatch(/not a readable image|cannot decode|corrupt/);
  });
});
