import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logitsToMask, promptTensors, resizedSize } from '../../../../src-main/core/onnx/segmenter';
import { openSegmenter, SessionCache } from '../../../../src-main/io/onnx-runtime';
import { installPack } from '../../../../src-main/io/packs';
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import { writeBackbonePack } from './tiny-packs';
import { writeTinySamPack } from './tiny-sam';

const root = mkdtempSync(join(tmpdir(), 'gaa-segmenter-'));
const sessions = new SessionCache();
afterAll(async () => {
  await sessions.releaseAll();
  rmSync(root, { recursive: true, force: true });
});

const W = 32;
const H = 24;

/** A gray-as-RGB image (32×24 unless said) with rectangles [x0, x1) × [y0, y1) filled with a level. */
function picture(rects: { x0: number; y0: number; x1: number; y1: number; level: number }[], width = W, height = H): Raster {
  const data = new Uint8Array(width * height * 3);
  for (const r of rects) {
    for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) data.fill(r.level, (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return { width, height, channels: 3, data };
}

function onPixels(mask: Mask): Set<number> {
  const s = new Set<number>();
  mask.data.forEach((v, i) => v && s.add(i));
  return s;
}

function rectPixels(x0: number, y0: number, x1: number, y1: number, width = W): Set<number> {
  const s = new Set<number>();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s.add(y * width + x);
  return s;
}

let packN = 0;
async function tinySam() {
  const pack = await installPack(writeTinySamPack(join(root, `src-${packN}`)), join(root, `packs-${packN++}`));
  return openSegmenter(pack, { provider: 'cpu', sessions, cacheSize: 2 });
}

describe('segmenter pack (SAM-style)', () => {
  // The tiny decoder selects pixels within 0.5 gray of the clicked pixels (see tiny-sam.ts).
  it('a positive click inside a bright square returns exactly that square at image size', async () => {
    const seg = await tinySam();
    const image = picture([{ x0: 8, y0: 8, x1: 20, y1: 16, level: 255 }]);
    const mask = await seg.segment('img-1', image, { points: [{ x: 14, y: 12, positive: true }] });
    expect([mask.width, mask.height]).toEqual([W, H]);
    expect(onPixels(mask)).toEqual(rectPixels(8, 8, 20, 16));
    expect(new Set(mask.data)).toEqual(new Set([0, 255]));
  });

  it('a negative click removes a region the positive click alone would take', async () => {
    const seg = await tinySam();
    // 16×16 is the encoder's own frame: no resampling, so region edges are exact whatever the logits.
    const S = 16;
    const image = picture(
      [
        { x0: 1, y0: 1, x1: 7, y1: 7, level: 255 },
        { x0: 9, y0: 1, x1: 15, y1: 7, level: 191 },
        { x0: 1, y0: 9, x1: 7, y1: 15, level: 153 },
      ],
      S,
      S,
    );
    const positive = { x: 4, y: 4, positive: true };
    const only = onPixels(await seg.segment('img-2', image, { points: [positive] }));
    // Gray 191 (0.75) and 153 (0.6) are within 0.5 of 1: all three squares, not the black background.
    expect(only).toEqual(new Set([...rectPixels(1, 1, 7, 7, S), ...rectPixels(9, 1, 15, 7, S), ...rectPixels(1, 9, 7, 15, S)]));
    const withNegative = onPixels(await seg.segment('img-2', image, { points: [positive, { x: 4, y: 12, positive: false }] }));
    // 191: (0.5 − 0.25) − (0.5 − 0.15) < 0; 255: 0.5 − (0.5 − 0.4) > 0; black: −0.5 + 0.1 < 0.
    expect(withNegative).toEqual(rectPixels(1, 1, 7, 7, S));
  });

  it('encodes each image once and keeps a bounded LRU of embeddings', async () => {
    const seg = await tinySam();
    const image = picture([{ x0: 8, y0: 8, x1: 20, y1: 16, level: 255 }]);
    const click = { points: [{ x: 14, y: 12, positive: true }] };
    await seg.segment('a', image, click);
    await seg.segment('a', image, click);
    expect(seg.stats()).toEqual({ encoderRuns: 1, cacheHits: 1 });
    await seg.segment('b', image, click);
    await seg.segment('a', image, click); // a is the most recent again, so b is the oldest
    await seg.segment('c', image, click); // capacity 2: b is dropped
    await seg.segment('a', image, click);
    expect(seg.stats()).toEqual({ encoderRuns: 3, cacheHits: 3 });
    await seg.segment('b', image, click);
    expect(seg.stats().encoderRuns).toBe(4);
  });

  it('refuses prompts outside the image, empty prompts and packs of another kind', async () => {
    const seg = await tinySam();
    const image = picture([]);
    await expect(seg.segment('x', image, { points: [{ x: 40, y: 1, positive: true }] })).rejects.toThrow(/point \(40, 1\) is outside the 32×24 image/);
    await expect(seg.segment('x', image, { points: [] })).rejects.toThrow(/at least one point or a box/);
    const backbone = await installPack(writeBackbonePack(join(root, 'bb')), join(root, 'bb-packs'));
    expect(() => openSegmenter(backbone)).toThrow(/backbone pack, not a segmenter/);
  });
});

describe('segmenter tensors', () => {
  it('resizes the longer side and scales prompts into that frame, with SAM’s padding point', () => {
    expect(resizedSize(32, 24, 16)).toEqual({ w: 16, h: 12 });
    const t = promptTensors({ points: [{ x: 10, y: 4, positive: false }] }, 32, 24, 16, 12);
    expect(Array.from(t.coords)).toEqual([5, 2, 0, 0]);
    expect(Array.from(t.labels)).toEqual([0, -1]);
    const b = promptTensors({ points: [], box: { x0: 2, y0: 4, x1: 20, y1: 22 } }, 32, 24, 16, 12);
    expect(Array.from(b.coords)).toEqual([1, 2, 10, 11]);
    expect(Array.from(b.labels)).toEqual([2, 3]);
  });

  it('crops the image part of a padded frame before resizing, thresholding logits at 0', () => {
    // 4×4 logits, image occupies the top 4×2; the bottom rows (padding) are positive and must not leak in.
    const logits = Float32Array.from([1, -1, -1, -1, 1, -1, -1, -1, 5, 5, 5, 5, 5, 5, 5, 5]);
    const m = logitsToMask(logits, 4, 4, 4, 2, 4, 2);
    expect(Array.from(m.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0]);
  });
});
