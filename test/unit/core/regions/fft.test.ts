import { describe, expect, it } from 'vitest';
import { fft1d, fft2d } from '../../../../src-main/core/regions/fft';
import { createRng } from '../../../../src-main/core/random';

function directDft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const ang = (-2 * Math.PI * k * t) / n;
      sr += re[t] * Math.cos(ang) - im[t] * Math.sin(ang);
      si += re[t] * Math.sin(ang) + im[t] * Math.cos(ang);
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return [outRe, outIm];
}

describe('radix-2 FFT', () => {
  it('matches a direct DFT on a random complex array of 16', () => {
    const rng = createRng(3);
    const re = Array.from({ length: 16 }, () => rng.next() * 2 - 1);
    const im = Array.from({ length: 16 }, () => rng.next() * 2 - 1);
    const [dr, di] = directDft(re, im);
    const fr = Float64Array.from(re);
    const fi = Float64Array.from(im);
    fft1d(fr, fi);
    for (let k = 0; k < 16; k++) {
      expect(fr[k]).toBeCloseTo(dr[k], 10);
      expect(fi[k]).toBeCloseTo(di[k], 10);
    }
  });

  it('transforms a unit impulse at 1 into the unit phasors e^(−2πik/N)', () => {
    const re = new Float64Array(8);
    const im = new Float64Array(8);
    re[1] = 1;
    fft1d(re, im);
    for (let k = 0; k < 8; k++) {
      expect(re[k]).toBeCloseTo(Math.cos((-2 * Math.PI * k) / 8), 12);
      expect(im[k]).toBeCloseTo(Math.sin((-2 * Math.PI * k) / 8), 12);
    }
  });

  it('gets the input back from the inverse transform', () => {
    const rng = createRng(9);
    const re = Float64Array.from({ length: 64 }, () => rng.next());
    const im = Float64Array.from({ length: 64 }, () => rng.next());
    const r0 = re.slice();
    const i0 = im.slice();
    fft1d(re, im);
    fft1d(re, im, true);
    for (let k = 0; k < 64; k++) {
      expect(re[k]).toBeCloseTo(r0[k], 12);
      expect(im[k]).toBeCloseTo(i0[k], 12);
    }
  });

  it('matches a direct 2-D DFT on an 8 × 4 plane', () => {
    const rng = createRng(5);
    const w = 8;
    const h = 4;
    const src = Array.from({ length: w * h }, () => rng.next());
    const re = Float64Array.from(src);
    const im = new Float64Array(w * h);
    fft2d(re, im, w, h);
    for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const ang = -2 * Math.PI * ((u * x) / w + (v * y) / h);
        sr += src[y * w + x] * Math.cos(ang);
        si += src[y * w + x] * Math.sin(ang);
      }
      expect(re[v * w + u]).toBeCloseTo(sr, 10);
      expect(im[v * w + u]).toBeCloseTo(si, 10);
    }
  });

  it('refuses a length that is not a power of two', () => {
    expect(() => fft1d(new Float64Array(12), new Float64Array(12))).toThrow(/power of two/);
  });
});
