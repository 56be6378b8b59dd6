import { describe, expect, it } from 'vitest';
import { gaussianBlur, resamplePlane, sampleBilinear } from '../../../../src-main/core/regions/planes';

/** Sum and variance (about the centre) of the blurred unit impulse, along x. */
function impulseMoments(sigma: number): { sum: number; variance: number } {
  const w = 101;
  const h = 1;
  const src = new Float64Array(w * h);
  src[50] = 1;
  const out = gaussianBlur(src, w, h, sigma);
  let sum = 0;
  let second = 0;
  for (let x = 0; x < w; x++) {
    sum += out[x];
    second += out[x] * (x - 50) ** 2;
  }
  return { sum, variance: second / sum };
}

describe('Gaussian smoothing', () => {
  it('keeps the mass of an impulse and spreads it with variance σ² (exact kernel, σ = 1.5)', () => {
    const m = impulseMoments(1.5);
    expect(m.sum).toBeCloseTo(1, 12);
    // The kernel is cut at 3σ, which loses 0.3 % of the variance.
    expect(Math.abs(m.variance / 2.25 - 1)).toBeLessThan(0.01);
  });

  it('stands in three boxes of widths 11, 11, 13 for σ = 6 (variance 34, within 6 % of 36)', () => {
    // Kovesi's widths for σ = 6: a box of odd width w has variance (w² − 1)/12, so the three
    // passes give (120 + 120 + 168)/12 = 34.
    const m = impulseMoments(6);
    expect(m.sum).toBeCloseTo(1, 12);
    expect(m.variance).toBeCloseTo(34, 9);
  });

  it('leaves a constant plane constant, borders included', () => {
    const src = new Float64Array(20 * 15).fill(7);
    for (const sigma of [1, 4]) for (const v of gaussianBlur(src, 20, 15, sigma)) expect(v).toBeCloseTo(7, 12);
  });
});

describe('sampling', () => {
  it('interpolates bilinearly between pixel centres', () => {
    const p = Float64Array.from([0, 10, 20, 30]);
    expect(sampleBilinear(p, 2, 2, 0.5, 0.5, -1)).toBeCloseTo(15, 12);
    expect(sampleBilinear(p, 2, 2, 1, 0, -1)).toBe(10);
    expect(sampleBilinear(p, 2, 2, 3, 0, -1)).toBe(-1);
  });

  it('halves a linear ramp into the same ramp at half the resolution', () => {
    const w = 16;
    const src = Float64Array.from({ length: w * 4 }, (_, i) => i % w);
    const out = resamplePlane(src, w, 4, 8, 2);
    // Output pixel x covers source pixels 2x and 2x + 1: their mean is 2x + 0.5 (away from the borders).
    for (let x = 2; x < 6; x++) expect(out[x]).toBeCloseTo(2 * x + 0.5, 6);
  });
});
