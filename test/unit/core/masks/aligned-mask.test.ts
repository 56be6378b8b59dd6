import { describe, expect, it } from 'vitest';
import { maskPrincipalAxis, rasterisePolygon } from '../../../../src-main/core/image/geometry';
import type { Mask } from '../../../../src-main/core/image/raster';
import { synthesiseAlignedMask, type AlignedMaskInput } from '../../../../src-main/core/masks/aligned-mask';
import { prepareRegion } from '../../../../src-main/core/masks/region-guide';
import { targetPolygon } from '../../../../src-main/core/masks/transform';
import { cRegion, centroidOf, countOn, drawMask, ellipse, fractionInside, iou } from './shapes';

function sameMask(a: Mask, b: Mask): boolean {
  return a.data.every((v, i) => (v !== 0) === (b.data[i] !== 0));
}

/** Angle difference modulo π (an axis has no direction). */
function axisGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

const blob = ellipse(160, 160, 80, 80, 14, 6);
const blobArea = countOn(blob);
const rod = ellipse(160, 160, 80, 80, 24, 4);

describe('inside placement', () => {
  const region = cRegion(160, 25, 70, 0.6);
  const guide = prepareRegion(region);

  it('keeps ≥ 95 % of every mask inside a non-convex region and all of it inside the image, over 200 seeds', () => {
    for (let seed = 0; seed < 200; seed++) {
      const r = synthesiseAlignedMask({ seed, region: guide, mode: 'inside', source: { mask: blob, clusterMeanArea: 1.5 * blobArea } });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const inside = fractionInside(r.mask, region);
      expect(inside).toBeGreaterThanOrEqual(0.95);
      expect(r.insideFraction).toBeCloseTo(inside, 12);
      expect(targetPolygon(r.transform).every(([x, y]) => x >= 0 && x <= 160 && y >= 0 && y <= 160)).toBe(true);
      // The transform reproduces the mask exactly (the generator warps the exemplar with it).
      expect(sameMask(rasterisePolygon([targetPolygon(r.transform)], 160, 160), r.mask)).toBe(true);
    }
  });

  it('never lets a mask leave the image when the region runs to the image border', () => {
    const strip = drawMask(160, 100, (x) => x < 40);
    for (let seed = 0; seed < 100; seed++) {
      const r = synthesiseAlignedMask({ seed, region: strip, mode: 'inside', source: { mask: blob, clusterMeanArea: blobArea } });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(targetPolygon(r.transform).every(([x, y]) => x >= 0 && x <= 160 && y >= 0 && y <= 100)).toBe(true);
    }
  });

  it('is deterministic by seed', () => {
    const input: AlignedMaskInput = { seed: 77, region, mode: 'inside', source: { mask: blob, clusterMeanArea: blobArea } };
    const a = synthesiseAlignedMask(input);
    const b = synthesiseAlignedMask({ ...input, region: prepareRegion(region) });
    const c = synthesiseAlignedMask({ ...input, seed: 78 });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.transform).toEqual(a.transform);
    expect(sameMask(a.mask, b.mask)).toBe(true);
    expect(sameMask(a.mask, c.mask)).toBe(false);
  });

  it('reports a mask larger than its region instead of forcing it', () => {
    const small = drawMask(160, 160, (x, y) => x > 60 && x < 90 && y > 60 && y < 90);
    const r = synthesiseAlignedMask({ seed: 1, region: small, mode: 'inside', source: { mask: blob, clusterMeanArea: 5000 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/inside: .*too large.*95%/);
  });

  it('gives up after 50 tries and names the constraint when the region is too thin', () => {
    const thin = drawMask(160, 160, (x, y) => y > 77 && y < 83 && x > 5 && x < 155);
    const round = ellipse(160, 160, 80, 80, 8, 8);
    const r = synthesiseAlignedMask({ seed: 3, region: thin, mode: 'inside', source: { mask: round, clusterMeanArea: countOn(round) } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/inside: after 50 tries no placement kept ≥ 95% of the mask inside the region/);
  });
});

describe('edge placement', () => {
  it('puts the centroid on a straight boundary and the main axis along it', () => {
    const lower = drawMask(160, 160, (_x, y) => y > 80);
    for (let seed = 0; seed < 50; seed++) {
      const r = synthesiseAlignedMask({ seed, region: lower, mode: 'edge', source: { mask: rod, clusterMeanArea: countOn(rod) } });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      // Boundary pixels are row 80 (centres at y = 80.5).
      expect(Math.abs(centroidOf(r.mask)[1] - 80.5)).toBeLessThanOrEqual(2);
      expect(axisGap(maskPrincipalAxis(r.mask)!.angle, 0)).toBeLessThan((5 * Math.PI) / 180);
    }
  });

  it('puts the centroid within 2 px of a curved, non-convex boundary', () => {
    const region = cRegion(160, 25, 70, 0.6);
    const boundary: Array<[number, number]> = [];
    for (let y = 0; y < 160; y++)
      for (let x = 0; x < 160; x++) {
        if (!region.data[y * 160 + x]) continue;
        const off = (u: number, v: number): boolean => u >= 0 && v >= 0 && u < 160 && v < 160 && !region.data[v * 160 + u];
        if (off(x - 1, y) || off(x + 1, y) || off(x, y - 1) || off(x, y + 1)) boundary.push([x + 0.5, y + 0.5]);
      }
    for (let seed = 0; seed < 50; seed++) {
      const r = synthesiseAlignedMask({ seed, region, mode: 'edge', source: { mask: blob, clusterMeanArea: blobArea } });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const [cx, cy] = centroidOf(r.mask);
      expect(Math.min(...boundary.map(([bx, by]) => Math.hypot(bx - cx, by - cy)))).toBeLessThanOrEqual(2);
    }
  });

  it('reports a region with no boundary inside the image', () => {
    const everything = drawMask(64, 64, () => true);
    const r = synthesiseAlignedMask({ seed: 1, region: everything, mode: 'edge', source: { mask: blob, clusterMeanArea: 50 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/edge: .*no boundary/);
  });
});

describe('centreline placement', () => {
  it('centres a mask on a horizontal wire within the tolerance, along the wire', () => {
    const wire = drawMask(200, 140, (x, y) => y > 60 && y < 80 && x > 10 && x < 190);
    for (let seed = 0; seed < 50; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: wire,
        mode: 'centreline',
        source: { mask: rod, clusterMeanArea: countOn(rod) },
        placement: { centrelineTolerance: 3 },
      });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      // Medial axis y = 70; the EDT ridge sits on the rows either side (±0.5), the centroid within 1.5 px of its aim.
      expect(Math.abs(centroidOf(r.mask)[1] - 70)).toBeLessThanOrEqual(3 + 0.5 + 1.5);
      expect(axisGap(maskPrincipalAxis(r.mask)!.angle, 0)).toBeLessThan((5 * Math.PI) / 180);
    }
  });

  it('follows a diagonal wire', () => {
    const wire = drawMask(160, 160, (x, y) => Math.abs(x - y) / Math.SQRT2 < 10 && x + y > 40 && x + y < 280);
    for (let seed = 0; seed < 30; seed++) {
      const r = synthesiseAlignedMask({ seed, region: wire, mode: 'centreline', source: { mask: rod, clusterMeanArea: countOn(rod) } });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const [cx, cy] = centroidOf(r.mask);
      expect(Math.abs(cx - cy) / Math.SQRT2).toBeLessThanOrEqual(1.25 + 1 + 1.5);
      expect(axisGap(maskPrincipalAxis(r.mask)!.angle, Math.PI / 4)).toBeLessThan((6 * Math.PI) / 180);
    }
  });
});

describe('combined placement', () => {
  const region = drawMask(160, 160, (x, y) => x > 10 && x < 150 && y > 10 && y < 150);

  it('places 2-3 masks with pairwise IoU ≤ 0.1, each reproduced by its own transform', () => {
    for (let seed = 0; seed < 40; seed++) {
      const count = 2 + (seed % 2);
      const sources = Array.from({ length: count }, (_, k) => ({ mask: k === 1 ? rod : blob, clusterMeanArea: 2 * blobArea }));
      const r = synthesiseAlignedMask({ seed, region, mode: 'combined', sources });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.parts.length).toBe(count);
      for (let i = 0; i < count; i++) {
        expect(sameMask(rasterisePolygon([targetPolygon(r.parts[i].transform)], 160, 160), r.parts[i].mask)).toBe(true);
        for (let j = i + 1; j < count; j++) expect(iou(r.parts[i].mask, r.parts[j].mask)).toBeLessThanOrEqual(0.1);
      }
      const union = r.mask.data.every((v, i) => (v !== 0) === r.parts.some((p) => p.mask.data[i] !== 0));
      expect(union).toBe(true);
    }
  });

  it('reports which part could not be placed', () => {
    const box = drawMask(100, 100, (x, y) => x > 30 && x < 70 && y > 30 && y < 70);
    const disc = ellipse(160, 160, 80, 80, 12, 12);
    const r = synthesiseAlignedMask({
      seed: 4,
      region: box,
      mode: 'combined',
      sources: [{ mask: disc, clusterMeanArea: 600 }, { mask: disc, clusterMeanArea: 600 }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^combined: part 2 of 2: inside: after 50 tries/);
  });

  it('refuses fewer than two sources', () => {
    const r = synthesiseAlignedMask({ seed: 1, region, mode: 'combined', sources: [{ mask: blob, clusterMeanArea: 100 }] });
    expect(r.ok).toBe(false);
  });
});

describe('logical placement', () => {
  // Two components; the larger is a ring with a hole (a container), the smaller a solid block (nuts).
  const region = drawMask(120, 80, (x, y) => {
    const ring = x > 10 && x < 60 && y > 10 && y < 60 && !(x > 25 && x < 45 && y > 25 && y < 45);
    const block = x > 80 && x < 100 && y > 20 && y < 40;
    return ring || block;
  });

  it('uses the whole region, holes included, as the anomaly mask', () => {
    const r = synthesiseAlignedMask({ seed: 1, region, mode: 'logical', logicalComponent: 'all' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(sameMask(r.mask, region)).toBe(true);
    expect(r.insideFraction).toBe(1);
    expect(sameMask(rasterisePolygon([targetPolygon(r.transform), ...r.extraRings], 120, 80), r.mask)).toBe(true);
  });

  it('uses one connected component when asked', () => {
    const r = synthesiseAlignedMask({ seed: 1, region, mode: 'logical', logicalComponent: 'largest' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Pixel centres x + ½ in (10, 60) are x = 10..59: 50 wide; the hole 20 wide; the block 20 × 20.
    expect(countOn(r.mask)).toBe(50 * 50 - 20 * 20);
    expect(r.mask.data[30 * 120 + 90]).toBe(0);
    expect(sameMask(rasterisePolygon([targetPolygon(r.transform), ...r.extraRings], 120, 80), r.mask)).toBe(true);
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const p = synthesiseAlignedMask({ seed, region, mode: 'logical' });
      if (p.ok) seen.add(countOn(p.mask));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([20 * 20, 50 * 50 - 20 * 20]);
  });

  it('reports an empty region', () => {
    const r = synthesiseAlignedMask({ seed: 1, region: drawMask(10, 10, () => false), mode: 'logical' });
    expect(r.ok).toBe(false);
  });
});
