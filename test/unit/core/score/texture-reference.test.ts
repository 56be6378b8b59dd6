import { describe, expect, it } from 'vitest';
import { integralImage, integralImagesOfCodes, lbpCodes, lbpCodesAtRadius, LBP_BINS, orientationPlanes } from '../../../../src-main/core/score/texture';

/**
 * The texture channels are computed with precomputed clamped indices (issue 16: the scorer's
 * extractor was the slowest stage of scoring a pair). They must equal, bit for bit, the plain
 * definitions below — a clamped read per tap, one indicator plane per LBP code — so stored
 * scorers keep scoring the same.
 */
const clampedRead = (plane: ArrayLike<number>, w: number, h: number) => (x: number, y: number) =>
  plane[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];

function plainOrientation(plane: ArrayLike<number>, w: number, h: number, k: number): Float32Array[] {
  const bins = Array.from({ length: 8 }, () => new Float32Array(w * h));
  const at = clampedRead(plane, w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = at(x + k, y - k) - at(x - k, y - k) + 2 * (at(x + k, y) - at(x - k, y)) + (at(x + k, y + k) - at(x - k, y + k));
      const gy = at(x - k, y + k) - at(x - k, y - k) + 2 * (at(x, y + k) - at(x, y - k)) + (at(x + k, y + k) - at(x + k, y - k));
      const mag = Math.hypot(gx, gy) / 8;
      if (mag === 0) continue;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += 2 * Math.PI;
      const pos = theta / ((2 * Math.PI) / 8);
      const b0 = Math.floor(pos) % 8;
      const frac = pos - Math.floor(pos);
      bins[b0][y * w + x] += mag * (1 - frac);
      bins[(b0 + 1) % 8][y * w + x] += mag * frac;
    }
  }
  return bins;
}

/**
 * riu2 LBP: at radius 1 the 8-connected neighbours (diagonals at (±1, ±1)); at a larger radius
 * points on the circle, bilinearly interpolated from clamped reads (scikit-image's definition).
 */
function plainLbp(plane: ArrayLike<number>, w: number, h: number, r: number): Uint8Array {
  const at = clampedRead(plane, w, h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = at(x, y);
      const bits: number[] = [];
      for (let i = 0; i < 8; i++) {
        const a = (2 * Math.PI * i) / 8;
        let dx = r === 1 ? Math.sign(Math.round(10 * Math.cos(a))) : r * Math.cos(a);
        let dy = r === 1 ? Math.sign(Math.round(10 * Math.sin(a))) : r * Math.sin(a);
        if (Math.abs(dx - Math.round(dx)) < 1e-9) dx = Math.round(dx);
        if (Math.abs(dy - Math.round(dy)) < 1e-9) dy = Math.round(dy);
        const fx = Math.floor(dx);
        const fy = Math.floor(dy);
        const tx = dx - fx;
        const ty = dy - fy;
        const v =
          tx === 0 && ty === 0
            ? at(x + fx, y + fy)
            : (at(x + fx, y + fy) * (1 - tx) + at(x + fx + 1, y + fy) * tx) * (1 - ty) + (at(x + fx, y + fy + 1) * (1 - tx) + at(x + fx + 1, y + fy + 1) * tx) * ty;
        bits.push(r === 1 ? (v >= c ? 1 : 0) : v >= c - 1e-9 ? 1 : 0);
      }
      const transitions = bits.filter((b, i) => b !== bits[(i + 1) % 8]).length;
      out[y * w + x] = transitions <= 2 ? bits.reduce((a, b) => a + b, 0) : 9;
    }
  }
  return out;
}

function grain(w: number, h: number, seed: number, levels: number): Float32Array {
  let s = seed;
  // Few grey levels, so flat runs and ties (the edge cases of LBP) occur often.
  return Float32Array.from({ length: w * h }, () => ((s = (s * 1103515245 + 12345) >>> 0), Math.floor((s / 2 ** 32) * levels) * 7.5));
}

describe('texture channels equal their plain definitions bit for bit', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [2, 5],
    [7, 3],
    [31, 17],
    [64, 48],
  ];

  it('gradient-orientation planes, at tap spacings 1, 2 and 3', () => {
    for (const [w, h] of sizes) {
      const plane = grain(w, h, w * 31 + h, 5);
      for (const step of [1, 2, 3]) expect(orientationPlanes(plane, w, h, step)).toEqual(plainOrientation(plane, w, h, step));
    }
  });

  it('uniform LBP codes at radii 1, 2 and 3', () => {
    for (const [w, h] of sizes) {
      const plane = grain(w, h, w * 17 + h, 4);
      expect(lbpCodes(plane, w, h)).toEqual(plainLbp(plane, w, h, 1));
      for (const r of [2, 3]) expect(lbpCodesAtRadius(plane, w, h, r)).toEqual(plainLbp(plane, w, h, r));
    }
  });

  it('integral images of the LBP codes, one per code, as of each indicator plane', () => {
    for (const [w, h] of sizes) {
      const codes = lbpCodesAtRadius(grain(w, h, w + h, 3), w, h, 2);
      const tables = integralImagesOfCodes(codes, w, h, LBP_BINS);
      expect(tables).toHaveLength(LBP_BINS);
      tables.forEach((t, k) => expect(Array.from(t)).toEqual(Array.from(integralImage(Uint8Array.from(codes, (c) => (c === k ? 1 : 0)), w, h))));
    }
  });
});
