import { describe, expect, it } from 'vitest';
import { implicitRegion, otsu } from '../../../../src-main/core/regions/implicit';
import { createMask, maskArea, type Raster } from '../../../../src-main/core/image/raster';
import { createRng } from '../../../../src-main/core/random';
import { iou, valueNoise } from './synthetic';

describe('Otsu threshold', () => {
  it('splits two equal spikes between them with full separability', () => {
    // Classes {0, 0} and {3, 3}: all the variance is between the classes, so η = 1.
    const r = otsu([2, 0, 0, 2]);
    expect(r.threshold).toBe(0);
    expect(r.separation).toBeCloseTo(1, 12);
  });

  it('gives η = 0.75 for a flat histogram split in half', () => {
    // Uniform on 0..N−1 split at the middle: σ²_between/σ²_total → 3/4 as N grows; N = 256 gives 0.7500…
    const r = otsu(new Array(256).fill(1));
    expect(r.threshold).toBe(127);
    expect(r.separation).toBeCloseTo((3 * 256 * 256) / (4 * (256 * 256 - 1)), 9);
  });
});

describe('implicit region', () => {
  it('finds a dark object on a plain light background, holes filled', () => {
    const w = 160;
    const h = 128;
    const rng = createRng(4);
    const data = new Uint8Array(w * h * 3);
    const truth = createMask(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inside = ((x - 78) / 46) ** 2 + ((y - 66) / 34) ** 2 <= 1;
      // A light spot inside the object must not become a hole in its region.
      const spot = (x - 78) ** 2 + (y - 66) ** 2 <= 36;
      const v = inside ? (spot ? 200 : 50 + 10 * valueNoise(x, y, 4, 1)) : 225;
      if (inside) truth.data[i] = 255;
      for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v + (rng.next() - 0.5) * 12)));
    }
    const r = implicitRegion({ width: w, height: h, channels: 3, data });
    expect(r.kind).toBe('foreground');
    expect(r.separation).toBeGreaterThan(0.8);
    expect(iou(r.mask, truth)).toBeGreaterThan(0.95);
  });

  it('keeps every object of a several-object product (pasta pieces on a tray), not specks of noise', () => {
    // Four dark ellipses of slightly different sizes and one 3×3 speck on a light background: the
    // foreground is the union of the four, so the largest alone (a quarter of it) must not win.
    const w = 200;
    const h = 140;
    const rng = createRng(7);
    const data = new Uint8Array(w * h * 3);
    const truth = createMask(w, h);
    const objects = [[50, 40, 30, 18], [150, 40, 27, 17], [50, 100, 29, 18], [150, 100, 31, 19]];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inside = objects.some(([cx, cy, rx, ry]) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1);
      const speck = x >= 98 && x < 101 && y >= 68 && y < 71;
      if (inside) truth.data[i] = 255;
      const v = inside || speck ? 60 : 220;
      for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v + (rng.next() - 0.5) * 10)));
    }
    const r = implicitRegion({ width: w, height: h, channels: 3, data });
    expect(r.kind).toBe('foreground');
    expect(iou(r.mask, truth)).toBeGreaterThan(0.95);
    expect(r.mask.data[69 * w + 99]).toBe(0);
  });

  it('falls back to the whole image for a texture', () => {
    const w = 128;
    const h = 128;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.round(70 + 110 * valueNoise(x, y, 6, 3) + 40 * valueNoise(x, y, 1.5, 8));
    const raster: Raster = { width: w, height: h, channels: 1, data };
    const r = implicitRegion(raster);
    expect(r.kind).toBe('whole-image');
    expect(maskArea(r.mask)).toBe(w * h);
  });

  it('falls back to the whole image for a blank picture', () => {
    const r = implicitRegion({ width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(128) });
    expect(r.kind).toBe('whole-image');
    expect(r.separation).toBe(0);
  });
});
