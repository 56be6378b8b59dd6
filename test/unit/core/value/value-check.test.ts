import { describe, expect, it } from 'vitest';
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import { augmentPair, chooseSelection, listOf, runValueCheck, type LabelledImage } from '../../../../src-main/core/value/value-check';
import { random } from '../generate/fixtures';

const S = 64;

/** A grainy gray surface, with a bright disc (a defect) where `disc` says. */
function scene(seed: number, disc: { x: number; y: number; r: number } | null, paint = true): { image: Raster; mask: Mask } {
  const rnd = random(seed);
  const image = new Uint8Array(S * S);
  const mask = new Uint8Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const inside = disc !== null && (x - disc.x) ** 2 + (y - disc.y) ** 2 <= disc.r ** 2;
      image[y * S + x] = Math.round(110 + rnd() * 30 + (inside && paint ? 90 : 0));
      if (inside) mask[y * S + x] = 255;
    }
  }
  return { image: { width: S, height: S, channels: 1, data: image }, mask: { width: S, height: S, data: mask } };
}

const place = (k: number) => ({ x: 12 + ((k * 17) % 40), y: 12 + ((k * 29) % 40), r: 4 + (k % 4) });

describe('the value check', () => {
  const heldOutAnomalies = Array.from({ length: 8 }, (_, k) => scene(500 + k, place(k + 3)));
  const heldOutNormals = Array.from({ length: 6 }, (_, k) => scene(600 + k, null).image);
  const normals = Array.from({ length: 6 }, (_, k) => scene(700 + k, null).image);
  // Pairs that show their defect, and pairs whose masks point at nothing visible.
  const faithful: LabelledImage[] = Array.from({ length: 10 }, (_, k) => scene(100 + k, place(k)));
  const misleading: LabelledImage[] = Array.from({ length: 10 }, (_, k) => scene(200 + k, place(k), false));

  it('scores a training set that shows its defects far above one whose labels show nothing', async () => {
    const res = await runValueCheck({
      sources: [
        { name: 'faithful', pairs: listOf(faithful) },
        { name: 'misleading', pairs: listOf(misleading) },
      ],
      normals: listOf(normals),
      heldOutAnomalies: listOf(heldOutAnomalies),
      heldOutNormals: listOf(heldOutNormals),
      seeds: [0, 1],
      samplesPerClass: 1500,
      trees: 12,
    });
    const [good, bad] = res.sources;
    expect(res.heldOutAnomalies).toBe(8);
    expect(res.heldOutNormals).toBe(6);
    expect(good.perSeed).toHaveLength(2);
    // A bright disc on grain is easy: near-perfect when the labels are right.
    expect(good.mean.pixelAuroc).toBeGreaterThan(0.95);
    expect(good.mean.imageAuroc).toBeGreaterThan(0.95);
    expect(good.mean.pixelAp).toBeGreaterThan(0.6);
    // Labels on plain surface teach nothing: about chance.
    expect(bad.mean.pixelAp).toBeLessThan(0.2);
    expect(good.mean.pixelAp - bad.mean.pixelAp).toBeGreaterThan(0.4);
  });

  it('flips and half-turns a pair, image and mask alike', () => {
    const p = scene(1, { x: 10, y: 20, r: 3 });
    const flipped = augmentPair(p, 1);
    const turned = augmentPair(p, 3);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        expect(flipped.mask.data[y * S + x]).toBe(p.mask.data[y * S + (S - 1 - x)]);
        expect(turned.image.data[y * S + x]).toBe(p.image.data[(S - 1 - y) * S + (S - 1 - x)]);
      }
    }
    expect(augmentPair(p, 0)).toBe(p);
  });
});

describe('the export default chosen from the value check', () => {
  const fig = (selection: 'kept' | 'all', ...ap: number[]) => ({ selection, pixelApPerSeed: ap });

  it('keeps the ARS filter only where it beat keeping all by more than its noise and one point', () => {
    // Gains +0.05 and +0.03: mean 0.04 over a noise of 0.01 → kept.
    expect(chooseSelection([fig('all', 0.3, 0.32), fig('kept', 0.35, 0.35)])?.selection).toBe('kept');
    // Gains +0.09 and −0.03: mean 0.03 under a noise of 0.06 → all.
    expect(chooseSelection([fig('all', 0.3, 0.32), fig('kept', 0.39, 0.29)])?.selection).toBe('all');
    // Gains of half a point on both seeds: under one point → all.
    expect(chooseSelection([fig('all', 0.3, 0.32), fig('kept', 0.305, 0.325)])?.selection).toBe('all');
    // The filter trained worse → all, and the reason says by how much.
    const worse = chooseSelection([fig('kept', 0.2, 0.22), fig('all', 0.3, 0.32)])!;
    expect(worse.selection).toBe('all');
    expect(worse.why).toContain('−10.0 ± 0.0');
  });

  it('keeps all where nothing is scored, and has no opinion without an all-pairs figure', () => {
    expect(chooseSelection([fig('all', 0.3, 0.32)], false)).toEqual({ selection: 'all', why: expect.stringMatching(/no pair is scored/) });
    expect(chooseSelection([fig('all', 0.3, 0.32)], true)).toEqual({ selection: 'all', why: expect.stringMatching(/keeps every pair/) });
    expect(chooseSelection([fig('kept', 0.3, 0.32)])).toBeNull();
  });
});
