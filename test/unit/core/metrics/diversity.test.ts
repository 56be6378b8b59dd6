import { describe, expect, it } from 'vitest';
import { defectPatch, meanPairwiseSsim, ssim, type GrayPatch } from '../../../../src-main/core/metrics/diversity';

const patch = (f: (x: number, y: number) => number, size = 16): GrayPatch => ({
  size,
  data: Float64Array.from({ length: size * size }, (_, i) => f(i % size, Math.floor(i / size))),
});

describe('SSIM and the diversity of generated defects', () => {
  it('is 1 for identical patches and for a flat patch against itself', () => {
    const a = patch((x, y) => (x * 13 + y * 7) % 200);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    expect(ssim(patch(() => 90), patch(() => 90))).toBeCloseTo(1, 12);
  });

  it('matches a hand-worked value for two flat windows', () => {
    // One 8 × 8 window, means 100 and 150, no variance: SSIM = (2·100·150 + C1) / (100² + 150² + C1).
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(patch(() => 100, 8), patch(() => 150, 8))).toBeCloseTo((2 * 100 * 150 + c1) / (100 ** 2 + 150 ** 2 + c1), 12);
  });

  it('is lower for different defects than for near-duplicates', () => {
    const bar = (angle: number, shift: number) =>
      patch((x, y) => (Math.abs((x - 8) * Math.sin(angle) - (y - 8) * Math.cos(angle) - shift) < 1.5 ? 40 : 180));
    const duplicates = [bar(0, 0), bar(0, 0.2), bar(0.05, 0)];
    const varied = [bar(0, 0), bar(1.2, 2), bar(2.3, -3)];
    expect(meanPairwiseSsim(duplicates)).toBeGreaterThan(meanPairwiseSsim(varied) + 0.3);
    expect(Number.isNaN(meanPairwiseSsim([bar(0, 0)]))).toBe(true);
  });

  it('crops a defect into a square gray patch around its mask', () => {
    const image = { width: 40, height: 30, channels: 1, data: new Uint8Array(40 * 30).fill(200) };
    const mask = { width: 40, height: 30, data: new Uint8Array(40 * 30) };
    for (let y = 10; y < 14; y++) for (let x = 20; x < 24; x++) (mask.data[y * 40 + x] = 1), (image.data[y * 40 + x] = 0);
    const p = defectPatch(image, mask, 12)!;
    expect(p.size).toBe(12);
    // A 4 px defect in a 6 px square crop: the middle of the patch is dark, the corners bright.
    expect(p.data[6 * 12 + 6]).toBe(0);
    expect(p.data[0]).toBe(200);
    expect(defectPatch(image, { ...mask, data: new Uint8Array(40 * 30) })).toBeNull();
  });
});
