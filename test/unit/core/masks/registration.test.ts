import { describe, expect, it } from 'vitest';
import { synthesiseAlignedMask } from '../../../../src-main/core/masks/aligned-mask';
import { learnPlacementPrior } from '../../../../src-main/core/masks/placement-prior';
import { prepareRegion } from '../../../../src-main/core/masks/region-guide';
import { registerShift, surroundSamples } from '../../../../src-main/core/masks/registration';
import type { MaskTransform } from '../../../../src-main/core/masks/transform';
import { createRng } from '../../../../src-main/core/random';
import type { Plane } from '../../../../src-main/core/regions/planes';
import { countOn, drawMask, ellipse } from './shapes';

const S = 160;

/** A product surface with structure at every scale: white noise smoothed by a 5 × 5 box, 0..255. */
function texture(seed: number): Plane {
  const rng = createRng(seed);
  const raw = new Float64Array(S * S);
  for (let i = 0; i < raw.length; i++) raw[i] = rng.next() * 255;
  const out = new Float64Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    let sum = 0;
    let n = 0;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
      const yy = y + dy;
      const xx = x + dx;
      if (yy < 0 || xx < 0 || yy >= S || xx >= S) continue;
      sum += raw[yy * S + xx];
      n++;
    }
    out[y * S + x] = sum / n;
  }
  return { width: S, height: S, data: out };
}

/** The same surface photographed moved by (sx, sy): pixel (x, y) shows the surface's (x + sx, y + sy). */
function moved(p: Plane, sx: number, sy: number): Plane {
  const out = new Float64Array(S * S);
  const clamp = (v: number) => Math.min(S - 1, Math.max(0, v));
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) out[y * S + x] = p.data[clamp(y + sy) * S + clamp(x + sx)];
  return { width: S, height: S, data: out };
}

function identityAt(cx: number, cy: number): MaskTransform {
  return { sourceCentroid: [cx, cy], sourcePolygon: [], vertexOffsets: [], rotation: 0, scale: 1, targetCentroid: [cx, cy] };
}

describe('registering an exemplar’s surroundings to a target', () => {
  it('finds the shift by which the exemplar’s photo of the surface is out of step with the target’s', () => {
    const target = texture(1);
    const exemplar = moved(target, 7, -4);
    const samples = surroundSamples(exemplar, ellipse(S, S, 80, 80, 10, 8), 6)!;
    expect(samples).not.toBeNull();
    // The exemplar's pixel p shows the target's p + (7, −4): the ring lines up when shifted by (7, −4).
    const fit = registerShift(samples, identityAt(80, 80), target, 12)!;
    expect([fit.dx, fit.dy]).toEqual([7, -4]);
    expect(fit.ncc).toBeGreaterThan(0.99);
    // Unshifted, the smoothed noise is uncorrelated beyond its 5 px box.
    const unshifted = registerShift(samples, identityAt(80, 80), target, 0)!;
    expect(unshifted.ncc).toBeLessThan(0.3);
  });

  it('finds nothing to register on flat surroundings', () => {
    const flat: Plane = { width: S, height: S, data: new Float64Array(S * S).fill(90) };
    expect(surroundSamples(flat, ellipse(S, S, 80, 80, 10, 8), 6)).toBeNull();
  });

  it('thins a long ring to at most 600 samples, centred on their mean', () => {
    const samples = surroundSamples(texture(2), ellipse(S, S, 80, 80, 60, 50), 12)!;
    expect(samples.values.length).toBeLessThanOrEqual(600);
    expect(samples.values.length).toBeGreaterThan(300);
    const mean = samples.values.reduce((a, b) => a + b, 0) / samples.values.length;
    expect(Math.abs(mean)).toBeLessThan(1e-9);
  });

  it('makes learned placement keep the source’s direction and line its surroundings up with the target’s', () => {
    // The exemplar was photographed on the same surface as the target: the mask's surroundings
    // match the target's exactly where the mask sat, in its own direction.
    const surface = texture(3);
    const source = ellipse(S, S, 80, 80, 12, 6);
    const samples = surroundSamples(surface, source, 6)!;
    const region = prepareRegion(drawMask(S, S, () => true));
    const prior = learnPlacementPrior([
      { centroid: [0.48, 0.5], axis: null, ring: { mean: [50, 0, 0], std: 2 } },
      { centroid: [0.52, 0.5], axis: null, ring: { mean: [50, 0, 0], std: 2 } },
    ]);
    const frame = { x0: 0, y0: 0, x1: S, y1: S };
    const placed = (seed: number, registration: boolean) =>
      synthesiseAlignedMask({
        seed,
        region,
        mode: 'learned',
        // The cluster's mean area is this mask's: Eq. (6) scale 1.
        source: { mask: source, clusterMeanArea: countOn(source), enhance: { perturbSigmaFactor: 0 } },
        placement: { learned: { prior, frame, appearance: null, registration: registration ? { source: samples, target: surface, radius: 12 } : null } },
      });
    let freeTurns = 0;
    for (let seed = 0; seed < 20; seed++) {
      const r = placed(seed, true);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.transform.rotation).toBe(0);
      // Lined up to within the sub-pixel part of the drawn position.
      const [tx, ty] = r.transform.targetCentroid;
      const [sx, sy] = r.transform.sourceCentroid;
      expect(Math.hypot(tx - sx, ty - sy)).toBeLessThan(1);
      const free = placed(seed, false);
      if (free.ok && Math.abs(Math.sin(free.transform.rotation)) > 0.2) freeTurns++;
    }
    // Without registration the free cluster turns the mask most of the time.
    expect(freeTurns).toBeGreaterThan(10);
  });
});
