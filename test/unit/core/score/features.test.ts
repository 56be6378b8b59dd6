import { describe, expect, it } from 'vitest';
import type { Raster } from '../../../../src-main/core/image/raster';
import { createHandcraftedExtractor } from '../../../../src-main/core/score/patch-features';
import { boxSum, integralImage, lbpCodes, orientationPlanes } from '../../../../src-main/core/score/texture';

const rgb = (w: number, h: number, c: [number, number, number]): Raster => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(c, i * 3);
  return { width: w, height: h, channels: 3, data };
};

describe('texture channels', () => {
  it('bins a left-to-right ramp entirely into orientation 0 with its slope as magnitude', () => {
    const w = 5;
    const plane = new Float32Array(w * w).map((_, i) => i % w);
    const bins = orientationPlanes(plane, w, w);
    const centre = 2 * w + 2;
    expect(bins[0][centre]).toBeCloseTo(1, 6);
    for (let k = 1; k < 8; k++) expect(bins[k][centre]).toBeCloseTo(0, 6);
  });

  it('bins a top-to-bottom ramp into the quarter-turn orientation (bin 2)', () => {
    const w = 5;
    const plane = new Float32Array(w * w).map((_, i) => Math.floor(i / w));
    const bins = orientationPlanes(plane, w, w);
    expect(bins[2][2 * w + 2]).toBeCloseTo(1, 6);
    expect(bins[0][2 * w + 2]).toBeCloseTo(0, 6);
  });

  it('codes a flat area as 8 (all neighbours ≥ centre) and a bright peak as 0', () => {
    const plane = new Float32Array(9);
    plane[4] = 10;
    const codes = lbpCodes(plane, 3, 3);
    expect(codes[4]).toBe(0);
    expect(Array.from(lbpCodes(new Float32Array(9).fill(3), 3, 3))).toEqual(new Array(9).fill(8));
  });

  it('sums any box of a plane from its integral image', () => {
    const plane = [1, 2, 3, 4, 5, 6]; // 3 × 2
    const s = integralImage(plane, 3, 2);
    expect(boxSum(s, 3, 0, 0, 3, 2)).toBe(21);
    expect(boxSum(s, 3, 1, 0, 3, 2)).toBe(2 + 3 + 5 + 6);
    expect(boxSum(s, 3, 2, 1, 3, 2)).toBe(6);
  });
});

describe('hand-crafted patch extractor', () => {
  it('describes a uniform image by its colour, no texture and all-flat LBP', () => {
    // Bruce Lindbloom's calculator: sRGB #FF0000 → L*a*b* (53.2408, 80.0925, 67.2032).
    const ex = createHandcraftedExtractor({ stride: 8, scales: [1, 2] });
    const g = ex.extract(rgb(16, 24, [255, 0, 0]));
    expect([g.gridW, g.gridH, g.dim]).toEqual([2, 3, 48]);
    expect(ex.dim).toBe(48);
    for (let p = 0; p < 6; p++) {
      for (let s = 0; s < 2; s++) {
        const o = p * 48 + s * 24;
        expect(g.data[o]).toBeCloseTo(53.2408, 2);
        expect(g.data[o + 1]).toBeCloseTo(80.0925, 1);
        expect(g.data[o + 2]).toBeCloseTo(67.2032, 1);
        for (let k = 3; k < 6; k++) expect(g.data[o + k]).toBeCloseTo(0, 2);
        for (let k = 6; k < 14; k++) expect(g.data[o + k]).toBe(0);
        expect(g.data[o + 14 + 8]).toBe(1);
      }
    }
  });

  it('names its settings in its id so a scorer can refuse other features', () => {
    expect(createHandcraftedExtractor().id).not.toBe(createHandcraftedExtractor({ stride: 4 }).id);
  });
});
