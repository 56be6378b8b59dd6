import { describe, expect, it } from 'vitest';
import { maskPrincipalAxis } from '../../../../src-main/core/image/geometry';
import { describeEdgeRelation, discRelation, offsetAlong, relationRadius, SHARE_TOLERANCE } from '../../../../src-main/core/masks/edge-relation';
import { synthesiseAlignedMask } from '../../../../src-main/core/masks/aligned-mask';
import { describeExemplarPlacement, learnPlacementPrior } from '../../../../src-main/core/masks/placement-prior';
import { prepareRegion } from '../../../../src-main/core/masks/region-guide';
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import { centroidOf, countOn, drawMask, ellipse } from './shapes';

const W = 200;
const H = 160;

function flags(m: Mask): Uint8Array {
  return Uint8Array.from(m.data, (v) => (v ? 1 : 0));
}

/** Angle difference modulo π. */
function axisGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

describe('a defect’s relation to the product’s outline', () => {
  // Product: the half-plane x ≥ 100.
  const half = drawMask(W, H, (x) => x >= 100);

  it('measures half a disc on the product, facing it, for a disc centred on the outline', () => {
    const r = discRelation(flags(half), W, H, [100, 80], 10);
    expect(r.share).toBeCloseTo(0.5, 1);
    expect(r.inward).not.toBeNull();
    // The product lies towards +x: direction 0.
    expect(Math.abs(r.inward!)).toBeLessThan(0.05);
  });

  it('has no direction well inside or well outside the product', () => {
    const inside = discRelation(flags(half), W, H, [150, 80], 10);
    const outside = discRelation(flags(half), W, H, [40, 80], 10);
    expect(inside.share).toBe(1);
    expect(inside.inward).toBeNull();
    expect(outside.share).toBe(0);
    expect(outside.inward).toBeNull();
  });

  it('measures the signed distance to the outline along the inward direction', () => {
    // From x = 110.5 back to the first pixel off the product (x < 100): 10.5 px, to ½ px steps.
    expect(offsetAlong(flags(half), W, H, [110.5, 80.5], 0, 50)).toBeCloseTo(10.5, 0);
    // From x = 95.5 forward onto the product: 4.5 px, negative because it starts off it.
    expect(offsetAlong(flags(half), W, H, [95.5, 80.5], 0, 50)).toBeCloseTo(-4.5, 0);
  });

  it('describes a notch on a product’s top edge: half on it, the product below, no offset', () => {
    const product = drawMask(W, H, (x, y) => x >= 40 && x < 160 && y >= 60 && y < 140);
    const notch = ellipse(W, H, 100, 60, 6, 6);
    const e = describeEdgeRelation(notch, product);
    expect(e.radius).toBeCloseTo(relationRadius(countOn(notch)), 6);
    expect(e.share).toBeGreaterThan(0.4);
    expect(e.share).toBeLessThan(0.6);
    // y grows downwards, so "below" is +π/2.
    expect(Math.abs(e.inward! - Math.PI / 2)).toBeLessThan(0.1);
    expect(Math.abs(e.offset)).toBeLessThanOrEqual(1);
  });

  it('measures a mask of several pieces at its largest piece, the one placement moves', () => {
    const product = drawMask(W, H, (x, y) => x >= 40 && x < 160 && y >= 60 && y < 140);
    const notch = ellipse(W, H, 100, 60, 6, 6);
    const speck = ellipse(W, H, 100, 120, 2, 2);
    const both = drawMask(W, H, (x, y) => notch.data[Math.floor(y) * W + Math.floor(x)] !== 0 || speck.data[Math.floor(y) * W + Math.floor(x)] !== 0);
    const alone = describeEdgeRelation(notch, product);
    const pieces = describeEdgeRelation(both, product);
    expect(pieces.share).toBeCloseTo(alone.share, 6);
    expect(pieces.inward).toBeCloseTo(alone.inward!, 6);
  });
});

describe('learned placement of a defect on the product’s outline', () => {
  // The exemplar: a flat notch (long axis along the outline) on the top edge of its product.
  const exemplarProduct = drawMask(W, H, (x, y) => x >= 40 && x < 160 && y >= 60 && y < 140);
  const notch = ellipse(W, H, 100, 60, 9, 4);
  const image: Raster = { width: W, height: H, channels: 1, data: Uint8Array.from(exemplarProduct.data, (v) => (v ? 200 : 40)) };
  const exemplar = describeExemplarPlacement(image, notch, { x0: 40, y0: 60, x1: 160, y1: 140 }, exemplarProduct);
  // The target's product sits elsewhere and is taller than wide.
  const targetProduct = drawMask(W, H, (x, y) => x >= 60 && x < 130 && y >= 20 && y < 150);
  const guide = prepareRegion(targetProduct);
  const frame = { x0: 60, y0: 20, x1: 130, y1: 150 };
  const distanceToOutline = ([x, y]: [number, number]) => Math.min(Math.abs(x - 60), Math.abs(x - 130), Math.abs(y - 20), Math.abs(y - 150));

  // Drawn around the middle of the target's frame, far from its outline.
  const middle = learnPlacementPrior([{ ...exemplar, centroid: [0.5, 0.5] }]);
  const place = (withEdge: boolean) => {
    const out: Mask[] = [];
    for (let seed = 0; seed < 30; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: guide,
        mode: 'learned',
        source: { mask: notch, clusterMeanArea: countOn(notch) },
        placement: { learned: { prior: middle, frame, appearance: null, edge: withEdge ? exemplar.edge : null } },
      });
      if (r.ok) out.push(r.mask);
    }
    return out;
  };

  it('moves the notch onto the target’s outline, half on the product, lying along it', () => {
    expect(exemplar.edge?.inward).not.toBeNull();
    const placed = place(true);
    expect(placed.length).toBeGreaterThanOrEqual(25);
    for (const m of placed) {
      const c = centroidOf(m);
      expect(distanceToOutline(c)).toBeLessThanOrEqual(3);
      const around = discRelation(guide.inRegion, W, H, c, exemplar.edge!.radius);
      expect(Math.abs(around.share - exemplar.edge!.share)).toBeLessThanOrEqual(SHARE_TOLERANCE);
      // Along the outline: horizontal on the top and bottom edges, vertical on the sides.
      const onSide = Math.min(Math.abs(c[0] - 60), Math.abs(c[0] - 130)) < Math.min(Math.abs(c[1] - 20), Math.abs(c[1] - 150));
      expect(axisGap(maskPrincipalAxis(m)!.angle, onSide ? Math.PI / 2 : 0)).toBeLessThan(0.5);
    }
  });

  it('leaves the notch in the middle of the product without the relation (the behaviour it replaces)', () => {
    const placed = place(false);
    expect(placed.filter((m) => distanceToOutline(centroidOf(m)) > 10).length).toBeGreaterThanOrEqual(25);
  });

  it('keeps a defect from well inside the product well inside', () => {
    const spot = ellipse(W, H, 100, 100, 4, 4);
    const inside = describeExemplarPlacement(image, spot, { x0: 40, y0: 60, x1: 160, y1: 140 }, exemplarProduct);
    expect(inside.edge?.share).toBe(1);
    // A prior that sits on the target's left outline: the relation must move candidates inwards or refuse them.
    const edgePrior = learnPlacementPrior([{ ...inside, centroid: [0, 0.5] }]);
    for (let seed = 0; seed < 20; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: guide,
        mode: 'learned',
        source: { mask: spot, clusterMeanArea: countOn(spot) },
        placement: { learned: { prior: edgePrior, frame, appearance: null, edge: inside.edge } },
      });
      if (!r.ok) continue;
      const around = discRelation(guide.inRegion, W, H, centroidOf(r.mask), inside.edge!.radius);
      expect(around.share).toBeGreaterThanOrEqual(1 - SHARE_TOLERANCE);
    }
  });

  it('places as before on a target whose product was not found (no outline to keep)', () => {
    const whole = prepareRegion(drawMask(W, H, () => true));
    for (let seed = 0; seed < 10; seed++) {
      const r = synthesiseAlignedMask({
        seed,
        region: whole,
        mode: 'learned',
        source: { mask: notch, clusterMeanArea: countOn(notch) },
        placement: { learned: { prior: middle, frame: { x0: 0, y0: 0, x1: W, y1: H }, appearance: null, edge: exemplar.edge } },
      });
      expect(r.ok).toBe(true);
    }
  });
});
