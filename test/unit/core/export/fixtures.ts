/** Small images, masks and folders for the export tests. Test-only. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ExportPair } from '../../../../src-main/core/export';

export function makeTempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `gaa-export-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative with forward slashes, sorted. */
export function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...walk(full, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** An RGB image whose pixels depend on `seed`. */
export function rgbPixels(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13 + seed * 41) % 251;
  return data;
}

export function rgbPng(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp(rgbPixels(width, height, seed), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A one-channel 8-bit PNG of the given values. */
export function grayPng(width: number, height: number, values: Uint8Array): Promise<Buffer> {
  return sharp(Buffer.from(values), { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

/** Decoded pixels of a file or PNG buffer; `channels` is the file's own band count. */
export async function decode(
  input: string | Buffer,
): Promise<{ width: number; height: number; channels: number; data: Buffer }> {
  const meta = await sharp(input).metadata();
  // sharp widens one band to sRGB on raw output unless told to stay gray.
  const p = meta.channels === 1 ? sharp(input).toColourspace('b-w') : sharp(input);
  const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: meta.channels, data };
}

/** One byte per pixel from `value(x, y)`, row-major. */
export function maskFrom(width: number, height: number, value: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = value(x, y);
  return out;
}

export function pair(over: Partial<ExportPair> & Pick<ExportPair, 'image' | 'mask'>): ExportPair {
  return {
    category: 'bottle',
    cluster: 'crack',
    normalImage: '/data/bottle/train/good/000.png',
    generator: 'exemplar',
    seed: 7,
    ars: 0.5,
    source: 'synthetic',
    ...over,
  };
}

/** Intersection over union of two same-size masks (nonzero = on). */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const p = a[i] !== 0;
    const q = b[i] !== 0;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union === 0 ? 1 : inter / union;
}
