import { describe, expect, it } from 'vitest';
import { anomalyRegionScore, keepTopN } from '../../../../src-main/core/score/ars';
import { upsampleBilinear } from '../../../../src-main/core/score/scoring';

const map = (w: number, h: number, v: number[]) => ({ width: w, height: h, data: Float32Array.from(v) });
const mask = (w: number, h: number, v: number[]) => ({ width: w, height: h, data: Uint8Array.from(v) });

describe('anomaly region score (Eq. 7)', () => {
  it('is the mean score inside the aligned mask (hand-worked)', () => {
    // Mask covers 0.5, 2 and −1: (0.5 + 2 − 1) / 3 = 0.5.
    const s = map(3, 2, [0.5, 2, 9, -1, 7, 7]);
    const m = mask(3, 2, [255, 1, 0, 255, 0, 0]);
    expect(anomalyRegionScore(s, m)).toBeCloseTo(0.5, 6);
  });

  it('rises when the same mask sits on a more salient region', () => {
    const s = map(4, 1, [0, 0, 3, 5]);
    expect(anomalyRegionScore(s, mask(4, 1, [0, 0, 1, 1]))).toBe(4);
    expect(anomalyRegionScore(s, mask(4, 1, [1, 1, 0, 0]))).toBe(0);
  });

  it('refuses an empty mask and a mask of another size', () => {
    expect(() => anomalyRegionScore(map(2, 1, [1, 2]), mask(2, 1, [0, 0]))).toThrow(/empty/);
    expect(() => anomalyRegionScore(map(2, 1, [1, 2]), mask(1, 2, [1, 1]))).toThrow(/mask/);
  });
});

describe('keepTopN', () => {
  it('keeps the highest scores first, ties by original order, NaN never', () => {
    expect(keepTopN([0.2, 0.9, NaN, 0.5, 0.9], 3)).toEqual([1, 4, 3]);
    expect(keepTopN([1, NaN], 5)).toEqual([0]);
    expect(keepTopN([1, 2], 0)).toEqual([]);
    expect(() => keepTopN([1], -1)).toThrow(RangeError);
  });
});

describe('bilinear upsampling of patch scores', () => {
  it('puts each patch value at its cell centre and interpolates between centres', () => {
    // 2×1 grid on a 4-px-wide image: centres at x = 0.5 and 2.5 (pixel indices 0.5 → between 0 and 1).
    // Pixel x samples grid coordinate (x + 0.5)·2/4 − 0.5: −0.25→0 (clamped), 0.25, 0.75, 1.25→1.
    const u = upsampleBilinear([0, 4], 2, 1, 4, 1);
    expect(Array.from(u.data)).toEqual([0, 1, 3, 4]);
  });

  it('keeps a constant grid constant and a 1×1 grid fills the image', () => {
    expect(Array.from(upsampleBilinear([2, 2, 2, 2], 2, 2, 5, 3).data).every((v) => v === 2)).toBe(true);
    expect(Array.from(upsampleBilinear([7], 1, 1, 3, 2).data)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});
