import { describe, expect, it } from 'vitest';
import { polygonArea, polygonCentroid, polygonPerimeter, rasterisePolygon } from '../../../../src-main/core/image/geometry';
import { areaAdaptiveScale, defaultClosingRadius, enhanceMask, sizeReferenceFraction } from '../../../../src-main/core/masks/enhance';
import { createRng } from '../../../../src-main/core/random';
import { targetPolygon } from '../../../../src-main/core/masks/transform';
import { countOn, drawMask, ellipse } from './shapes';

describe('Eq. (6) area-adaptive scale', () => {
  it('is 0.5·√8 + 0.5·∛8 = 1 + √2 ≈ 2.4142 when the cluster mean is 8 times the mask area', () => {
    expect(areaAdaptiveScale(8, 1)).toBeCloseTo(2.41421356, 8);
    expect(areaAdaptiveScale(800, 100, 0.5)).toBeCloseTo(1 + Math.SQRT2, 12);
  });

  it('is pure square root at α = 1 and pure cube root at α = 0', () => {
    expect(areaAdaptiveScale(1, 64, 1)).toBeCloseTo(1 / 8, 12);
    expect(areaAdaptiveScale(1, 64, 0)).toBeCloseTo(1 / 4, 12);
    expect(areaAdaptiveScale(50, 50)).toBe(1);
  });

  it('closes with 2 px per 256 px of image side', () => {
    expect(defaultClosingRadius(256, 256)).toBe(2);
    expect(defaultClosingRadius(1024, 700)).toBe(8);
    expect(defaultClosingRadius(64, 64)).toBe(1);
  });
});

describe('geometric mask enhancement, Eq. (5)-(6)', () => {
  const source = ellipse(256, 256, 120, 130, 30, 12);

  it('scales the rasterised area to s²·A_M, within the rasterisation bound 2√2·perimeter + 2π', () => {
    const plain = { perturbSigmaFactor: 0, rotation: false as const };
    const first = enhanceMask(source, { ...plain, rng: createRng(1), clusterMeanArea: 1000 });
    const areaM = first.perturbedArea;
    const shape = enhanceMask(source, { ...plain, rng: createRng(1), clusterMeanArea: 8 * areaM });
    expect(shape.transformPartial.scale).toBeCloseTo(1 + Math.SQRT2, 9);
    const placed = targetPolygon({ ...shape.transformPartial, targetCentroid: [256, 256] });
    const rasterArea = countOn(rasterisePolygon([placed], 512, 512));
    const expected = (1 + Math.SQRT2) ** 2 * areaM;
    // A pixel is misclassified only if its square meets the outline; those squares lie in the band of
    // half-width √2 around it, whose area is at most 2·√2·P + π·√2².
    const bound = 2 * Math.SQRT2 * polygonPerimeter(placed) + 2 * Math.PI;
    expect(Math.abs(rasterArea - expected)).toBeLessThanOrEqual(bound);
    // In practice the errors cancel: within 1 % here.
    expect(Math.abs(rasterArea / expected - 1)).toBeLessThan(0.01);
  });

  it('keeps the area with perturbation on: the final polygon has area s²·A_M of the perturbed polygon', () => {
    const shape = enhanceMask(source, { rng: createRng(5), clusterMeanArea: 2000, rotation: true });
    const s = areaAdaptiveScale(2000, shape.perturbedArea);
    expect(shape.transformPartial.scale).toBeCloseTo(s, 12);
    expect(shape.area).toBeCloseTo(s * s * shape.perturbedArea, 6);
  });

  it('returns a target-independent shape centred on the source centroid', () => {
    const shape = enhanceMask(source, { rng: createRng(2), clusterMeanArea: 1131, perturbSigmaFactor: 0, rotation: false });
    const [cx, cy] = shape.transformPartial.sourceCentroid;
    expect(cx).toBeCloseTo(120, 0);
    expect(cy).toBeCloseTo(130, 0);
    const [gx, gy] = polygonCentroid(shape.polygon);
    expect(Math.hypot(gx, gy)).toBeLessThan(0.5);
  });

  it('bridges a one-pixel gap by closing, so both halves become one mask', () => {
    const halves = drawMask(256, 256, (x, y) => y > 120 && y < 130 && ((x > 100 && x < 120) || (x > 121 && x < 141)));
    const closed = enhanceMask(halves, { rng: createRng(1), clusterMeanArea: 400, perturbSigmaFactor: 0 });
    const xs = closed.transformPartial.sourcePolygon.map((p) => p[0]);
    expect(Math.min(...xs)).toBe(100);
    expect(Math.max(...xs)).toBe(141);
    const open = enhanceMask(halves, { rng: createRng(1), clusterMeanArea: 400, perturbSigmaFactor: 0, closingRadius: 0 });
    expect(Math.max(...open.transformPartial.sourcePolygon.map((p) => p[0]))).toBe(120);
  });

  it('draws vertex offsets with standard deviation 0.05·√area', () => {
    let sum2 = 0;
    let count = 0;
    let sigma = 0;
    for (let seed = 0; seed < 150; seed++) {
      const shape = enhanceMask(source, { rng: createRng(seed), clusterMeanArea: 1131 });
      sigma = 0.05 * Math.sqrt(polygonArea(shape.transformPartial.sourcePolygon));
      for (const [dx, dy] of shape.transformPartial.vertexOffsets) {
        sum2 += dx * dx + dy * dy;
        count += 2;
      }
    }
    expect(count).toBeGreaterThan(1000);
    expect(Math.sqrt(sum2 / count) / sigma).toBeGreaterThan(0.9);
    expect(Math.sqrt(sum2 / count) / sigma).toBeLessThan(1.1);
  });

  it('rotates only as allowed', () => {
    expect(enhanceMask(source, { rng: createRng(3), clusterMeanArea: 1000, rotation: false }).transformPartial.rotation).toBe(0);
    for (let seed = 0; seed < 20; seed++) {
      const r = enhanceMask(source, { rng: createRng(seed), clusterMeanArea: 1000, rotation: [0.1, 0.2] }).transformPartial.rotation;
      expect(r >= 0.1 && r < 0.2).toBe(true);
    }
  });

  it('refuses an empty source mask', () => {
    expect(() => enhanceMask(drawMask(16, 16, () => false), { rng: createRng(1), clusterMeanArea: 10 })).toThrow(/empty/);
  });
});

describe('enhancing thin, curved masks', () => {
  it('keeps a usable polygon (finite Eq. 6 scale, area near the mask’s) for a thin scratch and a 2-px arc that Douglas-Peucker would flatten', async () => {
    const { enhanceMask } = await import('../../../../src-main/core/masks/enhance');
    const { createRng } = await import('../../../../src-main/core/random');
    const { drawMask } = await import('./shapes');
    // A 2 px wide arc of radius 40 over 200°: its simplified outline at 1 % of the perimeter is a sliver.
    const arc = drawMask(120, 120, (x, y) => {
      const r = Math.hypot(x - 60, y - 60);
      const a = Math.atan2(y - 60, x - 60);
      return Math.abs(r - 40) <= 1 && a > -Math.PI / 2 && a < (2 * Math.PI) / 3;
    });
    // The demo tile's straight scratches: about 1.5 px wide and 150 px long, at a slant.
    const scratch = drawMask(320, 320, (x, y) => x > 80 && x < 230 && Math.abs(y - (100 + 0.6 * (x - 80))) < 0.9);
    for (const mask of [arc, scratch]) {
      let on = 0;
      for (const v of mask.data) if (v) on++;
      for (let seed = 0; seed < 20; seed++) {
        const e = enhanceMask(mask, { rng: createRng(seed), clusterMeanArea: on, rotation: false, perturbSigmaFactor: 0 });
        expect(Number.isFinite(e.transformPartial.scale)).toBe(true);
        expect(e.perturbedArea).toBeGreaterThan(0.5 * on);
      }
    }
  });
});

describe('the size reference A_avg of Eq. (6)', () => {
  it('is the mean of the exemplars’ area fractions for `mean`, and draws nothing', () => {
    const rng = createRng(9);
    expect(sizeReferenceFraction('mean', [0.01, 0.02, 0.06], rng)).toBeCloseTo(0.03, 15);
    expect(rng.next()).toBe(createRng(9).next());
  });

  it('is one exemplar’s fraction for `exemplars`, each about equally often', () => {
    const rng = createRng(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const f = sizeReferenceFraction('exemplars', [0.01, 0.02, 0.06], rng);
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0.01, 0.02, 0.06]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(900), expect(n).toBeLessThan(1100);
  });

  it('refuses a cluster without exemplars', () => {
    expect(() => sizeReferenceFraction('exemplars', [], createRng(1))).toThrow(/at least one exemplar/);
  });
});
