import { describe, expect, it } from 'vitest';
import type { Raster } from '../../../../src-main/core/image/raster';
import { createHandcraftedExtractor, HANDCRAFTED_V1 } from '../../../../src-main/core/score/patch-features';
import { boxSum, integralImage, lbpCodes, lbpCodesAtRadius, orientationPlanes } from '../../../../src-main/core/score/texture';

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

  it('codes LBP at radius 2 from the ring two pixels out: flat = 8, a bright dot 0, a dark dot 8, and a pixel two away from a dark dot 7', () => {
    const w = 7;
    const flat = new Float32Array(w * w).fill(5);
    expect(Array.from(lbpCodesAtRadius(flat, w, w, 2))).toEqual(new Array(w * w).fill(8));
    const bright = Float32Array.from(flat);
    bright[3 * w + 3] = 9;
    expect(lbpCodesAtRadius(bright, w, w, 2)[3 * w + 3]).toBe(0);
    const dark = Float32Array.from(flat);
    dark[3 * w + 3] = 1;
    expect(lbpCodesAtRadius(dark, w, w, 2)[3 * w + 3]).toBe(8);
    expect(lbpCodesAtRadius(bright, w, w, 2)[3 * w + 1]).toBe(8);
    const ring = lbpCodesAtRadius(dark, w, w, 2)[3 * w + 1];
    // Its right neighbour on the ring is the dark dot (< 5): seven of eight bits set, still uniform.
    expect(ring).toBe(7);
    // At radius 1 the same pixel does not see the dot at all.
    expect(lbpCodes(dark, w, w)[3 * w + 1]).toBe(8);
  });

  it('measures a soft edge at the coarser gradient step that the 1-pixel Sobel sees weaker', () => {
    // A ramp over 4 pixels: step 1 sees slope 1 inside it, step 2 sees the same slope but also at
    // pixels one step outside the ramp, where step 1 sees nothing.
    const w = 12;
    const plane = new Float32Array(w * w).map((_, i) => Math.min(4, Math.max(0, (i % w) - 4)));
    const at = (bins: Float32Array[], x: number) => bins.reduce((s, b) => s + b[5 * w + x], 0);
    expect(at(orientationPlanes(plane, w, w, 1), 2)).toBe(0);
    expect(at(orientationPlanes(plane, w, w, 2), 3)).toBeGreaterThan(0);
    expect(at(orientationPlanes(plane, w, w, 1), 6)).toBeCloseTo(1, 6);
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
    const ex = createHandcraftedExtractor({ ...HANDCRAFTED_V1, scales: [1, 2] });
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

  it('adds a second gradient step and LBP radius by default, and keeps colour at 0 on a gray image', () => {
    const ex = createHandcraftedExtractor({ scales: [1] });
    // Per scale: 6 LAB + 8 orientations × 2 steps + 10 LBP bins × 2 radii.
    expect(ex.dim).toBe(42);
    const gray: Raster = { width: 16, height: 16, channels: 1, data: new Uint8Array(256).map((_, i) => (i * 37) % 251) };
    const g = ex.extract(gray);
    for (let p = 0; p < g.gridW * g.gridH; p++) {
      for (const k of [1, 2, 4, 5]) expect(g.data[p * 42 + k]).toBe(0);
      // Each LBP histogram is a distribution over its window.
      const h1 = Array.from(g.data.subarray(p * 42 + 22, p * 42 + 32)).reduce((a, b) => a + b, 0);
      const h2 = Array.from(g.data.subarray(p * 42 + 32, p * 42 + 42)).reduce((a, b) => a + b, 0);
      expect(h1).toBeCloseTo(1, 5);
      expect(h2).toBeCloseTo(1, 5);
    }
    expect(ex.id).not.toBe(createHandcraftedExtractor({ ...HANDCRAFTED_V1, scales: [1] }).id);
  });

  it('names its settings in its id so a scorer can refuse other features', () => {
    expect(createHandcraftedExtractor().id).not.toBe(createHandcraftedExtractor({ stride: 4 }).id);
  });
});
