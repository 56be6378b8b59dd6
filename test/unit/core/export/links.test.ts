import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../../../src-main/core/export';
import { exportDataset } from '../../../../src-main/io/export-writer';
import { grayPng, maskFrom, pair } from './fixtures';
import { tempDirsRemovedAfterEach } from './helpers';

/** A 64 × 64 RGB PNG of LCG noise: too noisy to compress under the 4 KiB below which files are never linked. */
function noisePng(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(64 * 64 * 3);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return sharp(data, { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
}

let image: Buffer;
let other: Buffer;
let request: (outDir: string) => ExportRequest;

beforeAll(async () => {
  image = await noisePng(1);
  other = await noisePng(2);
  expect(image.length).toBeGreaterThan(4096);
  const mask = await grayPng(64, 64, maskFrom(64, 64, (x, y) => (x > 10 && x < 30 && y > 20 && y < 40 ? 255 : 0)));
  // Two copies of one real pair (as the real share repeats them) and a different pair.
  request = (outDir) => ({
    outDir,
    name: 'run',
    formats: ['folder'],
    normals: [],
    pairs: [
      pair({ cluster: 'crack', source: 'real', image: { png: image }, mask: { png: mask } }),
      pair({ cluster: 'crack', source: 'real', image: { png: image }, mask: { png: mask } }),
      pair({ cluster: 'crack', image: { png: other }, mask: { png: mask } }),
    ],
  });
});

const temp = tempDirsRemovedAfterEach();

describe('an export writes each large content once and links its repeats', () => {
  it('gives repeated copies and the same image in another format one file, and keeps different images apart', async () => {
    const res = await exportDataset(request(temp('links')));
    const at = (rel: string) => path.join(res.root, ...rel.split('/'));
    const first = statSync(at('bottle/test/crack/000.png'));
    expect(statSync(at('bottle/test/crack/001.png')).ino).toBe(first.ino);
    expect(statSync(at('folder/bottle/abnormal/crack_000.png')).ino).toBe(first.ino);
    expect(first.nlink).toBe(4);
    expect(statSync(at('bottle/test/crack/002.png')).ino).not.toBe(first.ino);
    // The bytes are the pair's own, whichever name is read.
    expect(readFileSync(at('bottle/test/crack/001.png')).equals(image)).toBe(true);
    expect(readFileSync(at('bottle/test/crack/002.png')).equals(other)).toBe(true);
  });

  it('writes plain copies where the file system has no hard links', async () => {
    const link = async (): Promise<void> => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    };
    const res = await exportDataset(request(temp('nolinks')), { fs: { link } });
    const at = (rel: string) => path.join(res.root, ...rel.split('/'));
    const a = statSync(at('bottle/test/crack/000.png'));
    const b = statSync(at('bottle/test/crack/001.png'));
    expect(b.ino).not.toBe(a.ino);
    expect(a.nlink).toBe(1);
    expect(readFileSync(at('bottle/test/crack/001.png')).equals(image)).toBe(true);
    expect(readFileSync(at('folder/bottle/abnormal/crack_001.png')).equals(image)).toBe(true);
  });
});
