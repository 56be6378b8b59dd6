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

describe('gaussianBlur gives the same numbers as the plain separable sums', () => {
  /** Clamped-border separable convolution, one output at a time, taps in kernel order; box passes as running sums. */
  function reference(src: Float64Array, w: number, h: number, sigma: number): Float64Array {
    const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
    if (sigma > 2.5) {
      const ideal = Math.sqrt(4 * sigma * sigma + 1);
      let wl = Math.floor(ideal);
      if (wl % 2 === 0) wl--;
      const m = Math.round((12 * sigma * sigma - 3 * wl * wl - 12 * wl - 9) / (-4 * wl - 4));
      const a = src.slice();
      const b = new Float64Array(w * h);
      for (const width of [0, 1, 2].map((i) => (i < m ? wl : wl + 2))) {
        const r = (width - 1) >> 1;
        for (const [from, to, len, lines, step, stride] of [[a, b, w, h, 1, w], [b, a, h, w, w, 1]] as const) {
          for (let l = 0; l < lines; l++) {
            const base = l * stride;
            let sum = 0;
            for (let i = -r; i <= r; i++) sum += from[base + clamp(i, len) * step];
            for (let i = 0; i < len; i++) {
              to[base + i * step] = sum * (1 / width);
              sum += from[base + clamp(i + r + 1, len) * step] - from[base + clamp(i - r, len) * step];
            }
          }
        }
      }
      return a;
    }
    const r = Math.max(1, Math.ceil(3 * sigma));
    const k: number[] = [];
    for (let i = -r; i <= r; i++) k.push(Math.exp((-i * i) / (2 * sigma * sigma)));
    const total = k.reduce((p, q) => p + q, 0);
    const kn = k.map((v) => v / total);
    const tmp = new Float64Array(w * h);
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < kn.length; t++) s += kn[t] * src[y * w + clamp(x + t - r, w)];
      tmp[y * w + x] = s;
    }
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < kn.length; t++) s += kn[t] * tmp[clamp(y + t - r, h) * w + x];
      out[y * w + x] = s;
    }
    return out;
  }

  it('matches them exactly for kernel and box σ on odd sizes, including images shorter than the kernel', () => {
    let seed = 9;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const [w, h] of [[17, 13], [40, 3], [5, 31], [1, 1]]) {
      const src = Float64Array.from({ length: w * h }, () => rnd() * 255 - 60);
      for (const sigma of [0.6, 1, 2, 2.5, 3, 6]) expect(Array.from(gaussianBlur(src, w, h, sigma))).toEqual(Array.from(reference(src, w, h, sigma)));
    }
  });
});

