import { describe, expect, it } from 'vitest';
import { maskPrincipalAxis } from '../../../../src-main/core/image/geometry';
import type { Raster } from '../../../../src-main/core/image/raster';
import { synthesiseAlignedMask } from '../../../../src-main/core/masks/aligned-mask';
import {
  AppearanceIndex,
  densityGrid,
  describeExemplarPlacement,
  learnPlacementPrior,
  type ExemplarPlacement,
} from '../../../../src-main/core/masks/placement-prior';
import { prepareRegion } from '../../../../src-main/core/masks/region-guide';
import { centroidOf, drawMask, ellipse } from './shapes';

const W = 200;
const H = 160;
const whole = { x0: 0, y0: 0, x1: W, y1: H };

function gray(width: number, height: number, value: (x: number, y: number) => number): Raster {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { width, height, channels: 1, data };
}

function at(x: number, y: number, axis: number | null = null): ExemplarPlacement {
  return { centroid: [x, y], axis, ring: { mean: [50, 0, 0], std: 2 }, edge: null };
}

/** Angle difference modulo π. */
function axisGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

describe('the placement prior learned from a cluster’s exemplars', () => {
  it('measures an exemplar’s position in its frame, its direction when elongated, and its ring', () => {
    const image = gray(W, H, (x) => (x < 100 ? 40 : 200));
    // A 40 × 6 horizontal bar centred at (150, 40) on the bright half.
    const bar = drawMask(W, H, (x, y) => Math.abs(x - 150) <= 20 && Math.abs(y - 40) <= 3);
    const d = describeExemplarPlacement(image, bar, { x0: 100, y0: 0, x1: 200, y1: 160 });
    expect(d.centroid[0]).toBeCloseTo(0.5, 2);
    expect(d.centroid[1]).toBeCloseTo(0.25, 2);
    expect(axisGap(d.axis!, 0)).toBeLessThan(0.01);
    // The ring lies on the bright half only: L* of gray 200 is 80.6, with no spread.
    expect(d.ring.mean[0]).toBeCloseTo(80.6, 0);
    expect(d.ring.std).toBeLessThan(0.01);
    // A disc has no direction.
    expect(describeExemplarPlacement(image, ellipse(W, H, 150, 80, 8, 8), whole).axis).toBeNull();
  });

  it('sets the bandwidth from the exemplars’ spacing and calls agreeing directions oriented', () => {
    // Nearest-neighbour distances 0.2 each: bandwidth 0.1.
    const spaced = learnPlacementPrior([at(0.2, 0.5, 0.05), at(0.4, 0.5, 3.1), at(0.6, 0.5, 0)]);
    expect(spaced.bandwidth).toBeCloseTo(0.1, 12);
    expect(spaced.oriented).toBe(true);
    const fan = learnPlacementPrior([at(0.2, 0.5, 0), at(0.4, 0.5, Math.PI / 3), at(0.6, 0.5, (2 * Math.PI) / 3)]);
    expect(fan.oriented).toBe(false);
    // Bandwidth is clamped: a lone exemplar, or exemplars on top of each other.
    expect(learnPlacementPrior([at(0.5, 0.5)]).bandwidth).toBe(0.08);
    expect(learnPlacementPrior([at(0.5, 0.5), at(0.5, 0.5)]).bandwidth).toBe(0.03);
  });

  it('gives a density that peaks at the exemplars', () => {
    const grid = densityGrid(learnPlacementPrior([at(0.25, 0.25), at(0.75, 0.75)]), 20, 20);
    const v = (c: number, r: number) => grid[r * 20 + c];
    expect(Math.max(...grid)).toBe(1);
    expect(v(4, 4)).toBeGreaterThan(0.9);
    expect(v(15, 15)).toBeGreaterThan(0.9);
    expect(v(15, 4)).toBeLessThan(0.01);
  });

  it('summarises any box of an image as brute force does', () => {
    const image = gray(97, 61, (x, y) => (x * 7 + y * 13) % 251);
    for (const maxSide of [256, 97]) {
      const index = new AppearanceIndex(image, maxSide);
      const [x0, y0, x1, y1] = [10, 5, 50, 40];
      const lab = (v: number) => {
        const c = v / 255;
        const yy = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        return yy > 216 / 24389 ? 116 * Math.cbrt(yy) - 16 : (24389 / 27) * yy;
      };
      const values: number[] = [];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) values.push(lab(image.data[y * 97 + x]));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      const got = index.stats(x0, y0, x1, y1);
      expect(got.mean[0]).toBeCloseTo(mean, 4);
      expect(got.std).toBeCloseTo(std, 4);
    }
  });
});

describe('learned placement', () => {
  const source = ellipse(W, H, 60, 60, 12, 5);
  const region = drawMask(W, H, () => true);
  const guide = prepareRegion(region);

  it('puts masks where the cluster’s exemplars are, in the target’s frame', () => {
    const prior = learnPlacementPrior([at(0.75, 0.3), at(0.8, 0.35)]);
    const centres: [number, number][] = [];
    for (let seed = 0; seed < 60; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: guide,
        mode: 'learned',
        source: { mask: source, clusterMeanArea: 190 },
        placement: { learned: { prior, frame: whole, appearance: null } },
      });
      expect(r.ok).toBe(true);
      if (r.ok) centres.push(centroidOf(r.mask));
    }
    // Exemplars at x 150-160, y 48-56; bandwidth 0.03 (their spacing): every centre within a few bandwidths.
    for (const [x, y] of centres) {
      expect(x).toBeGreaterThan(130);
      expect(x).toBeLessThan(180);
      expect(y).toBeGreaterThan(30);
      expect(y).toBeLessThan(75);
    }
  });

  it('keeps the direction of an oriented cluster and turns a free one', () => {
    const oriented = learnPlacementPrior([at(0.3, 0.5, 0), at(0.5, 0.5, 0.02), at(0.7, 0.5, 3.13)]);
    const free = learnPlacementPrior([at(0.3, 0.5, 0), at(0.5, 0.5, 1.0), at(0.7, 0.5, 2.1)]);
    const gaps = (prior: typeof oriented) => {
      const out: number[] = [];
      for (let seed = 0; seed < 40; seed++) {
        const r = synthesiseAlignedMask({
          seed,
          region: guide,
          mode: 'learned',
          source: { mask: source, clusterMeanArea: 190 },
          placement: { learned: { prior, frame: whole, appearance: null } },
        });
        if (r.ok) out.push(axisGap(maskPrincipalAxis(r.mask)!.angle, 0));
      }
      return out;
    };
    // The source ellipse is horizontal; jitter is 0.12 rad (1 σ).
    expect(Math.max(...gaps(oriented))).toBeLessThan(0.5);
    expect(Math.max(...gaps(free))).toBeGreaterThan(0.8);
  });

  it('prefers places whose surroundings look like the exemplar’s', () => {
    // Left half dark, right half bright; the exemplars sat on bright surface at mid-width.
    const target = gray(W, H, (x) => (x < 100 ? 30 : 210));
    const appearance = new AppearanceIndex(target);
    const ring = describeExemplarPlacement(target, ellipse(W, H, 150, 80, 6, 6), whole).ring;
    const prior = learnPlacementPrior([{ centroid: [0.5, 0.5], axis: null, ring, edge: null }]);
    let bright = 0;
    for (let seed = 0; seed < 40; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: guide,
        mode: 'learned',
        source: { mask: source, clusterMeanArea: 190 },
        placement: { learned: { prior, frame: whole, appearance } },
      });
      if (r.ok && centroidOf(r.mask)[0] > 100) bright++;
    }
    // Without the look, half would land on the dark side.
    expect(bright).toBeGreaterThanOrEqual(36);
  });
});
