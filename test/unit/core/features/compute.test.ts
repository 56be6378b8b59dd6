import { describe, expect, it } from 'vitest';
import { assembleFeatureMatrix } from '../../../../src-main/core/features/assemble';
import { computeFeatures } from '../../../../src-main/core/features/compute';
import { ringRadiusFor } from '../../../../src-main/core/features/roi';
import { COLOUR_DIM, SHAPE_DIM, TEXTURE_DIM, type AnomalyFeatures } from '../../../../src-main/core/features/types';
import { srgb8ToLab } from '../../../../src-main/core/image/colour';
import { createMask, createRaster, type Mask, type Raster } from '../../../../src-main/core/image/raster';

/** A w×h RGB image painted by f, and a mask of the pixels where inMask holds. */
function scene(
  w: number,
  h: number,
  f: (x: number, y: number) => [number, number, number],
  inMask: (x: number, y: number) => boolean,
): { image: Raster; mask: Mask } {
  const image = createRaster(w, h, 3);
  const mask = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      image.data.set(f(x, y), (y * w + x) * 3);
      if (inMask(x, y)) mask.data[y * w + x] = 255;
    }
  }
  return { image, mask };
}

describe('anomaly features', () => {
  it('has the documented block sizes', () => {
    const { image, mask } = scene(32, 32, () => [100, 100, 100], (x, y) => x > 10 && x < 20 && y > 10 && y < 20);
    const f = computeFeatures(image, mask);
    expect([f.colour.length, f.texture.length, f.shape.length]).toEqual([COLOUR_DIM, TEXTURE_DIM, SHAPE_DIM]);
    expect(f.deep).toBeUndefined();
    expect([...computeFeatures(image, mask, { deep: [1, 2] }).deep!]).toEqual([1, 2]);
  });

  it('measures a uniform red defect against its ring and ignores pixels beyond the ring', () => {
    // 64² image: ring radius 2 px (3 px per 256 px, at least 2). A red 10×10 square sits
    // in a gray (119) band 2 px wide; everything further out is white and must not count.
    expect(ringRadiusFor(64, 64)).toBe(2);
    const red: [number, number, number] = [255, 0, 0];
    const { image, mask } = scene(
      64,
      64,
      (x, y) => {
        if (x >= 20 && x < 30 && y >= 20 && y < 30) return red;
        if (x >= 18 && x < 32 && y >= 18 && y < 32) return [119, 119, 119];
        return [255, 255, 255];
      },
      (x, y) => x >= 20 && x < 30 && y >= 20 && y < 30,
    );
    const c = computeFeatures(image, mask).colour;
    const labRed = srgb8ToLab(255, 0, 0);
    const labGray = srgb8ToLab(119, 119, 119);
    for (let ch = 0; ch < 3; ch++) {
      const base = ch * 11;
      expect(c[base]).toBeCloseTo(labRed[ch], 10);
      expect(c[base + 1]).toBeCloseTo(0, 10);
      // The 2-px disc dilation reaches at most 2 px out, so the ring is all gray band.
      expect(c[base + 10]).toBeCloseTo(labRed[ch] - labGray[ch], 10);
    }
    // L 53.24 → bin ⌊53.24 / 12.5⌋ = 4; a 80.09 → ⌊(80.09 + 128)·8/255⌋ = 6; b 67.20 → 6.
    const hist = (ch: number) => [...c.subarray(ch * 11 + 2, ch * 11 + 10)];
    expect(hist(0)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(hist(1)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
    expect(hist(2)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('gives the same colour and texture for the same defect in a larger image', () => {
    const tex = (x: number, y: number): [number, number, number] => {
      const v = 90 + ((x * 13 + y * 7 + x * y) % 40);
      return [v, v - 10, v + 5];
    };
    const inBlob = (cx: number, cy: number) => (x: number, y: number) => (x - cx) ** 2 + ((y - cy) * 1.5) ** 2 < 64;
    const paint = (cx: number, cy: number) => (x: number, y: number): [number, number, number] =>
      inBlob(cx, cy)(x, y) ? [30, 30, 40] : tex(x - cx, y - cy);
    // The default ring radius follows image size (2 px vs 4 px here), so pin it.
    const small = scene(40, 40, paint(20, 20), inBlob(20, 20));
    const large = scene(300, 200, paint(150, 90), inBlob(150, 90));
    const a = computeFeatures(small.image, small.mask, { ringRadius: 3 });
    const b = computeFeatures(large.image, large.mask, { ringRadius: 3 });
    expect([...b.colour]).toEqual([...a.colour]);
    expect([...b.texture]).toEqual([...a.texture]);
    expect([...b.shape.subarray(1)]).toEqual([...a.shape.subarray(1)]);
    expect(b.shape[0] - a.shape[0]).toBeCloseTo(Math.log((40 * 40) / (300 * 200)), 12);
  });

  it('refuses an empty mask and a mask of another size', () => {
    const image = createRaster(8, 8, 1);
    expect(() => computeFeatures(image, createMask(8, 8))).toThrow(/empty/);
    expect(() => computeFeatures(image, createMask(8, 9))).toThrow(/does not match/);
  });
});

describe('feature matrix assembly', () => {
  const sample = (c: number[], t: number[], s: number[]): AnomalyFeatures => ({
    colour: Float64Array.from(c),
    texture: Float64Array.from(t),
    shape: Float64Array.from(s),
  });
  const samples = [sample([1], [5, 0, 0, 0], [0, 0, 0, 0]), sample([2], [5, 1, 0, 0], [0, 0, 0, 0]), sample([3], [5, 2, 0, 0], [3, 0, 0, 0])];

  it('z-scores each dimension and scales each block by w / sqrt(dim) (hand-worked)', () => {
    const { matrix, dims } = assembleFeatureMatrix(samples, { shape: 2 });
    expect(dims).toEqual({ colour: 1, texture: 4, shape: 4, deep: 0 });
    // colour [1,2,3]: mean 2, population sd √(2/3) → ∓√1.5, weight 1/√1.
    const z = Math.sqrt(1.5);
    expect(matrix.map((r) => r[0])).toEqual([-z, 0, z].map((v) => expect.closeTo(v, 12)));
    // texture column 0 is constant → 0; column 1 is [0,1,2] → ∓√1.5 · 1/√4.
    expect(matrix.map((r) => r[1])).toEqual([0, 0, 0]);
    expect(matrix[2][2]).toBeCloseTo(z / 2, 12);
    // shape column 0 [0,0,3]: mean 1, sd √2 → [−1/√2, −1/√2, √2] · 2/√4.
    expect(matrix.map((r) => r[5])).toEqual([-Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT2].map((v) => expect.closeTo(v, 12)));
    expect(matrix[0].length).toBe(9);
  });

  it('drops a block weighted 0 and refuses a block only some samples have', () => {
    expect(assembleFeatureMatrix(samples, { texture: 0 }).matrix[0].length).toBe(5);
    const mixed = [...samples.slice(0, 2), { ...samples[2], deep: new Float64Array(3) }];
    expect(() => assembleFeatureMatrix(mixed, {})).toThrow(/deep/);
  });
});
