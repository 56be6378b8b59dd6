import { describe, expect, it } from 'vitest';
import { labToSrgb8, rasterToLab, srgb8ToLab } from '../../../../src-main/core/image/colour';
import { createRaster } from '../../../../src-main/core/image/raster';

// Published CIE L*a*b* (D65, 2°) of sRGB primaries, e.g. Bruce Lindbloom's calculator:
// red 53.24 / 80.09 / 67.20, green 87.73 / −86.18 / 83.18, blue 32.30 / 79.19 / −107.86.
describe('sRGB to CIE LAB (D65)', () => {
  it('maps white to L=100 with no chroma and black to 0', () => {
    const [l, a, b] = srgb8ToLab(255, 255, 255);
    expect(l).toBeCloseTo(100, 3);
    expect(a).toBeCloseTo(0, 3);
    expect(b).toBeCloseTo(0, 3);
    expect(srgb8ToLab(0, 0, 0)).toEqual([0, 0, 0]);
  });

  it('matches the published values of the sRGB primaries', () => {
    const cases: [number[], number[]][] = [
      [[255, 0, 0], [53.24, 80.09, 67.2]],
      [[0, 255, 0], [87.73, -86.18, 83.18]],
      [[0, 0, 255], [32.3, 79.19, -107.86]],
    ];
    for (const [rgb, ref] of cases) {
      const lab = srgb8ToLab(rgb[0], rgb[1], rgb[2]);
      for (let c = 0; c < 3; c++) expect(Math.abs(lab[c] - ref[c])).toBeLessThan(0.05);
    }
  });

  it('puts sRGB mid-gray 119 at L≈50', () => {
    // 119/255 → linear 0.1845 → L = 116·0.1845^(1/3) − 16 = 50.03.
    expect(srgb8ToLab(119, 119, 119)[0]).toBeCloseTo(50.03, 1);
  });

  it('round-trips every gray and a spread of colours back to the same 8-bit sRGB', () => {
    for (let v = 0; v < 256; v += 5) {
      for (const rgb of [[v, v, v], [v, 255 - v, (v * 7) % 256], [(v * 3) % 256, v, 128]]) {
        const lab = srgb8ToLab(rgb[0], rgb[1], rgb[2]);
        expect(labToSrgb8(lab[0], lab[1], lab[2])).toEqual(rgb);
      }
    }
  });

  it('gives gray rasters zero chroma and the same L as the RGB path', () => {
    const gray = createRaster(2, 1, 1);
    gray.data.set([119, 255]);
    const lab = rasterToLab(gray);
    expect(lab.l[0]).toBeCloseTo(srgb8ToLab(119, 119, 119)[0], 10);
    expect(lab.l[1]).toBeCloseTo(100, 3);
    expect([...lab.a, ...lab.b]).toEqual([0, 0, 0, 0]);
  });

  it('reads only the requested rectangle of an RGBA raster', () => {
    const r = createRaster(3, 2, 4);
    // pixel (2,1) is red with alpha 0: alpha must not matter.
    r.data.set([255, 0, 0, 0], (1 * 3 + 2) * 4);
    const lab = rasterToLab(r, { x0: 1, y0: 1, x1: 3, y1: 2 });
    expect(lab.width).toBe(2);
    expect(lab.l[0]).toBe(0);
    expect(lab.l[1]).toBeCloseTo(53.24, 1);
  });
});
