import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/random';
import { propagateRegions, propagateWith, trainPropagator } from '../../../../src-main/core/regions/propagate';
import type { Raster } from '../../../../src-main/core/image/raster';
import { iou, renderTray, type TrayShot } from './synthetic';

const DEG = Math.PI / 180;
const rng = createRng(11);
/** A tray at a random pose (±8°, ±5 % shift), lighting (gain 0.85-1.15, offset ±12) and contents. */
function shot(w: number, h: number, seed: number): TrayShot {
  const pose = {
    cx: w / 2 + (rng.next() * 2 - 1) * 0.05 * w,
    cy: h / 2 + (rng.next() * 2 - 1) * 0.05 * h,
    angle: (rng.next() * 2 - 1) * 8 * DEG,
    scale: 0.75 * w,
  };
  return renderTray(w, h, pose, 0.85 + 0.3 * rng.next(), (rng.next() * 2 - 1) * 12, seed);
}

const SIZES: [number, number][] = [[144, 112], [176, 136]];
const OPTIONS = { workSide: 128 };
const exemplars = [0, 1, 2].map((k) => shot(...SIZES[k % 2], 100 + k));
const targets = [0, 1, 2, 3].map((k) => shot(...SIZES[k % 2], 200 + k));
// The tray is drawn too: a region that holds the three others.
const model = trainPropagator(exemplars.map((e) => ({ image: e.image, regions: { ...e.regions, tray: e.tray } })), 7, OPTIONS);

let cached: ReturnType<typeof propagateWith>[] | null = null;
/** The propagated targets, computed once for the tests that read them. */
const results = () => (cached ??= targets.map((t) => propagateWith(model, t.image)));

describe('region propagation', () => {
  it('finds the three compartments of posed, relit trays of two sizes with mean IoU ≥ 0.9', () => {
    const ious: number[] = [];
    for (const [k, t] of targets.entries()) {
      const r = results()[k];
      expect(Object.keys(r.regions).sort()).toEqual(['cells', 'grains', 'stripes', 'tray']);
      for (const name of Object.keys(t.regions)) {
        expect([r.regions[name].width, r.regions[name].height]).toEqual([t.image.width, t.image.height]);
        ious.push(iou(r.regions[name], t.regions[name]));
      }
      expect(r.flagged).toBe(false);
    }
    expect(ious.reduce((a, b) => a + b, 0) / ious.length).toBeGreaterThanOrEqual(0.9);
    expect(Math.min(...ious)).toBeGreaterThan(0.75);
  });

  it('gives a region drawn around others those others too', () => {
    for (const [k, t] of targets.entries()) {
      const r = results()[k];
      expect(iou(r.regions.tray, t.tray)).toBeGreaterThan(0.9);
      for (const name of ['cells', 'grains', 'stripes']) {
        let outside = 0;
        for (let i = 0; i < r.regions[name].data.length; i++) if (r.regions[name].data[i] && !r.regions.tray.data[i]) outside++;
        expect(outside).toBe(0);
      }
    }
  });

  it('is less confident on a picture of something else, and flags it', () => {
    const noise: Raster = { width: 144, height: 112, channels: 3, data: Uint8Array.from({ length: 144 * 112 * 3 }, () => Math.floor(rng.next() * 256)) };
    const trueConfidence = results()[0].confidence;
    const r = propagateWith(model, noise);
    expect(r.confidence).toBeLessThan(trueConfidence - 0.3);
    expect(r.flagged).toBe(true);
  });

  it('gives the same result from the one-shot form as from a trained propagator with the same seed', () => {
    // A small configuration: this checks the plumbing, not the quality.
    const small = { workSide: 64, classifier: { trees: 4, samplesPerClass: 500 } };
    const few = exemplars.slice(0, 2);
    const once = propagateRegions({ exemplars: few, target: targets[1].image, seed: 3, options: small });
    const reused = propagateWith(trainPropagator(few, 3, small), targets[1].image);
    expect(once.confidence).toBe(reused.confidence);
    for (const name of Object.keys(once.regions)) expect(Buffer.from(once.regions[name].data).equals(Buffer.from(reused.regions[name].data))).toBe(true);
  });

  it('refuses exemplars that name different regions', () => {
    const odd = { image: exemplars[1].image, regions: { stripes: exemplars[1].regions.stripes } };
    expect(() => trainPropagator([exemplars[0], odd], 1, OPTIONS)).toThrow(/names regions/);
  });
});
