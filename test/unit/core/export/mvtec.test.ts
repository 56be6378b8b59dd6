import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, Manifest } from '../../../../src-main/core/export';
import { exportDataset } from '../../../../src-main/io/export-writer';
import { decode, grayPng, makeTempDir, maskFrom, pair, rgbPixels, rgbPng, walk } from './fixtures';

const W = 40;
const H = 32;

describe('MVTec AD export with two clusters and normals', () => {
  const tmp = makeTempDir('mvtec');
  const src = path.join(tmp.dir, 'src');
  const out = path.join(tmp.dir, 'out');
  let result: ExportResult;
  const progress: Array<[number, number]> = [];
  // Hand-worked "on" regions of the three input masks after binarisation at half their maximum.
  const expectedOn = [
    (x: number, y: number) => x >= 5 && x < 16 && y >= 4 && y < 10,
    (x: number, y: number) => x >= 20 && x < 30 && y >= 10 && y < 20,
    (x: number, y: number) => x >= 2 && x < 12 && y >= 20 && y < 24,
  ];
  let jpegPath = '';
  let pngNormalPath = '';

  beforeAll(async () => {
    mkdirSync(src, { recursive: true });
    // Soft-edged mask, max 200: the 110 column is on (110 ≥ 100), the 90 column off.
    const soft = maskFrom(W, H, (x, y) => {
      if (y < 4 || y >= 10) return 0;
      if (x >= 5 && x < 15) return 200;
      if (x === 15) return 110;
      if (x === 4) return 90;
      return 0;
    });
    // A 0/1 mask: max 1, so every 1 is on.
    const zeroOne = maskFrom(W, H, (x, y) => (x >= 20 && x < 30 && y >= 10 && y < 20 ? 1 : 0));
    // A colour mask: red 255 on, red 100 off (100 < 127.5); the brightest channel counts.
    const red = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (y >= 20 && y < 24 && x >= 2 && x < 12) red[(y * W + x) * 3] = 255;
        if (y >= 26 && y < 28 && x >= 2 && x < 12) red[(y * W + x) * 3] = 100;
      }
    }
    const pairImagePath = path.join(src, 'gen-1.png');
    writeFileSync(pairImagePath, await rgbPng(W, H, 2));
    jpegPath = path.join(src, 'real-3.jpg');
    await sharp(rgbPixels(W, H, 3), { raw: { width: W, height: H, channels: 3 } }).jpeg().toFile(jpegPath);
    const redMaskPath = path.join(src, 'real-3_mask.png');
    await sharp(red, { raw: { width: W, height: H, channels: 3 } }).png().toFile(redMaskPath);
    pngNormalPath = path.join(src, 'normal-a.png');
    writeFileSync(pngNormalPath, await rgbPng(W, H, 10));
    const jpegNormalPath = path.join(src, 'normal-b.jpg');
    await sharp(rgbPixels(W, H, 11), { raw: { width: W, height: H, channels: 3 } }).jpeg().toFile(jpegNormalPath);

    result = await exportDataset(
      {
        outDir: out,
        name: 'run',
        formats: [],
        pairs: [
          pair({
            cluster: 'crack',
            image: { png: await rgbPng(W, H, 1) },
            mask: { png: await grayPng(W, H, soft) },
            seed: 11,
            ars: 0.9,
          }),
          pair({
            cluster: 'crack',
            image: { path: pairImagePath },
            mask: { png: await grayPng(W, H, zeroOne) },
            normalImage: 'relative/normal.png',
            seed: 12,
            ars: 0.8,
          }),
          pair({
            cluster: 'Scratch mark',
            image: { path: jpegPath },
            mask: { path: redMaskPath },
            normalImage: null,
            generator: 'real',
            seed: null,
            ars: null,
            source: 'real',
          }),
        ],
        normals: [
          { category: 'bottle', path: pngNormalPath },
          { category: 'bottle', path: jpegNormalPath },
        ],
        parameters: { nGen: 1000, nKeep: 500 },
      },
      { onProgress: (done, total) => progress.push([done, total]), now: () => new Date('2026-11-28T12:00:00Z') },
    );
  });
  afterAll(() => tmp.cleanup());

  it('writes exactly the MVTec tree and the manifest, and nothing else in the destination', () => {
    expect(readdirSync(out)).toEqual(['run']);
    expect(walk(result.root)).toEqual([
      'bottle/ground_truth/Scratch_mark/000_mask.png',
      'bottle/ground_truth/crack/000_mask.png',
      'bottle/ground_truth/crack/001_mask.png',
      'bottle/test/Scratch_mark/000.png',
      'bottle/test/crack/000.png',
      'bottle/test/crack/001.png',
      'bottle/train/good/000.png',
      'bottle/train/good/001.png',
      'manifest.json',
    ]);
    expect(result.root).toBe(path.join(out, 'run'));
    expect(result.files).toBe(9);
    expect(result.counts).toEqual({ bottle: { good: 2, crack: 2, Scratch_mark: 1 } });
  });

  it('writes single-channel 0/255 masks equal to the binarised inputs and the size of their images', async () => {
    const masks = ['crack/000_mask.png', 'crack/001_mask.png', 'Scratch_mark/000_mask.png'];
    for (const [k, rel] of masks.entries()) {
      const m = await decode(path.join(result.root, 'bottle/ground_truth', rel));
      expect([m.width, m.height, m.channels]).toEqual([W, H, 1]);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) expect(m.data[y * W + x], `${rel} at ${x},${y}`).toBe(expectedOn[k](x, y) ? 255 : 0);
      }
    }
  });

  it('copies PNG images byte for byte and converts JPEG ones to PNG with the same pixels', async () => {
    expect(readFileSync(path.join(result.root, 'bottle/test/crack/000.png')).equals(await rgbPng(W, H, 1))).toBe(true);
    expect(readFileSync(path.join(result.root, 'bottle/train/good/000.png')).equals(readFileSync(pngNormalPath))).toBe(true);
    const converted = path.join(result.root, 'bottle/test/Scratch_mark/000.png');
    expect((await sharp(converted).metadata()).format).toBe('png');
    expect((await decode(converted)).data.equals((await decode(jpegPath)).data)).toBe(true);
  });

  it('records every pair in the manifest with root-relative image paths and absolute normal images', () => {
    const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8')) as Manifest;
    expect(manifest.version).toBe(1);
    expect(manifest.createdAt).toBe('2026-11-28T12:00:00.000Z');
    expect(manifest.parameters).toEqual({ nGen: 1000, nKeep: 500 });
    expect(manifest.files.map((f) => [f.image, f.mask])).toEqual([
      ['bottle/test/crack/000.png', 'bottle/ground_truth/crack/000_mask.png'],
      ['bottle/test/crack/001.png', 'bottle/ground_truth/crack/001_mask.png'],
      ['bottle/test/Scratch_mark/000.png', 'bottle/ground_truth/Scratch_mark/000_mask.png'],
    ]);
    expect(manifest.files[0].normalImage).toBe('/data/bottle/train/good/000.png');
    expect(manifest.files[1].normalImage).toBe(path.resolve('relative/normal.png'));
    expect(path.isAbsolute(manifest.files[1].normalImage!)).toBe(true);
    expect(manifest.files[2]).toMatchObject({
      normalImage: null,
      cluster: 'Scratch mark',
      source: 'real',
      seed: null,
      ars: null,
      generator: 'real',
    });
    expect(manifest.files[0]).toMatchObject({
      cluster: 'crack',
      generator: 'exemplar',
      seed: 11,
      ars: 0.9,
      source: 'synthetic',
    });
    expect(manifest.normals.map((n) => [n.image, n.sourceImage])).toEqual([
      ['bottle/train/good/000.png', pngNormalPath],
      ['bottle/train/good/001.png', path.join(src, 'normal-b.jpg')],
    ]);
  });

  it('reports progress once per file, ending at the total', () => {
    expect(progress.map(([d]) => d)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.every(([, t]) => t === 9)).toBe(true);
  });
});

describe('folder names in the MVTec tree', () => {
  it('never gives a cluster the name "good" and keeps unsafe characters out of folder names', async () => {
    const tmp = makeTempDir('names');
    try {
      const img = await rgbPng(8, 8, 1);
      const mask = await grayPng(8, 8, maskFrom(8, 8, (x) => (x < 4 ? 255 : 0)));
      const result = await exportDataset({
        outDir: tmp.dir,
        name: 'names',
        formats: [],
        normals: [],
        pairs: [
          pair({ category: 'metal nut', cluster: 'good', image: { png: img }, mask: { png: mask } }),
          pair({ category: 'metal nut', cluster: '../bent/lead', image: { png: img }, mask: { png: mask } }),
        ],
      });
      const dirs = walk(result.root).filter((f) => f.startsWith('metal_nut/test/'));
      expect(dirs).toEqual(['metal_nut/test/bent_lead/000.png', 'metal_nut/test/good_2/000.png']);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("mask binarisation at the mask file's own depth", () => {
  it('binarises a 16-bit mask at half its maximum, the half itself counting as on', async () => {
    const tmp = makeTempDir('wide');
    try {
      // 8-bit 0 / 100 / 200 widened to 16 bits is 0 / 25700 / 51400: 25700 is exactly half the max.
      const values = maskFrom(8, 4, (x) => (x < 2 ? 0 : x < 4 ? 99 : x < 6 ? 100 : 200));
      const wide = await sharp(Buffer.from(values), { raw: { width: 8, height: 4, channels: 1 } })
        .toColourspace('grey16')
        .png()
        .toBuffer();
      expect((await sharp(wide).metadata()).depth).toBe('ushort');
      const result = await exportDataset({
        outDir: tmp.dir,
        name: 'wide',
        formats: [],
        normals: [],
        pairs: [pair({ image: { png: await rgbPng(8, 4, 1) }, mask: { png: wide } })],
      });
      const m = await decode(path.join(result.root, 'bottle/ground_truth/crack/000_mask.png'));
      expect([...m.data.subarray(0, 8)]).toEqual([0, 0, 0, 0, 255, 255, 255, 255]);
    } finally {
      tmp.cleanup();
    }
  });
});
