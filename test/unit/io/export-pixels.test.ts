import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPng } from '../../../src-main/io/export-writer/pixels';
import { encodeRasterPng, loadRaster } from '../../../src-main/io/image-codec';
import { writeBmp24 } from './dataset-reader/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'gaa-export-pixels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

/** Channels as the PNG stores them (sharp's metadata of the file itself, no conversion). */
const channelsOf = async (png: Buffer) => (await sharp(png).metadata()).channels;

const W = 12;
const H = 8;
const grayRamp = Buffer.from(Array.from({ length: W * H }, (_, i) => (i * 7) % 256));

describe('the export writes one image format per category, the source’s', () => {
  it('keeps a gray JPEG gray, pixel for pixel, as the synthetic pairs made from it are', async () => {
    writeFileSync(at('g.jpg'), await sharp(grayRamp, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer());
    expect((await sharp(at('g.jpg')).metadata()).channels).toBe(1);
    const decoded = await sharp(at('g.jpg')).toColourspace('b-w').raw().toBuffer();
    for (const orientation of [{}, { mirror: true }, { flip: true }]) {
      const real = await loadPng({ path: at('g.jpg'), ...orientation });
      expect(await channelsOf(real.png)).toBe(1);
      if (!('mirror' in orientation) && !('flip' in orientation)) {
        expect(Buffer.compare(await sharp(real.png).toColourspace('b-w').raw().toBuffer(), decoded)).toBe(0);
      }
    }
    // A synthetic pair is encoded from the normal image's raster: gray too.
    const synthetic = await encodeRasterPng(await loadRaster(at('g.jpg')));
    expect(await channelsOf(synthetic)).toBe(1);
  });

  it('writes a colour JPEG in colour, and a 24-bit BMP as its synthetic pairs are', async () => {
    writeFileSync(at('c.jpg'), await sharp({ create: { width: W, height: H, channels: 3, background: { r: 200, g: 40, b: 10 } } }).jpeg().toBuffer());
    expect(await channelsOf((await loadPng({ path: at('c.jpg') })).png)).toBe(3);
    expect(await channelsOf((await loadPng({ path: at('c.jpg'), mirror: true })).png)).toBe(3);
    // A 24-bit BMP is colour as stored: written as RGB, as its synthetic pairs are.
    writeBmp24(at('b.bmp'), W, H, (x) => [x * 10, x * 10, x * 10]);
    const bmp = await loadPng({ path: at('b.bmp') });
    expect(await channelsOf(bmp.png)).toBe((await loadRaster(at('b.bmp'))).channels);
  });
});
