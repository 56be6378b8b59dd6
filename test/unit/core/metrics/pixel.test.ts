import { describe, expect, it } from 'vitest';
import { labelComponents } from '../../../../src-main/core/metrics/components';
import { pixelAuroc, pixelMetrics } from '../../../../src-main/core/metrics/pixel';
import { proCurve, proScore } from '../../../../src-main/core/metrics/pro';
import type { Mask } from '../../../../src-main/core/image/raster';
import type { ScoreMap } from '../../../../src-main/core/metrics/score-map';

const map = (width: number, height: number, v: number[]): ScoreMap => ({ width, height, data: Float32Array.from(v) });
const mask = (width: number, height: number, v: number[]): Mask => ({ width, height, data: Uint8Array.from(v) });

describe('connected components', () => {
  it('joins diagonal neighbours with 8-connectivity but not with 4', () => {
    const m = mask(4, 3, [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
    const c8 = labelComponents(m, 8);
    expect(c8.count).toBe(2);
    expect([c8.areas[1], c8.areas[2]]).toEqual([2, 2]);
    expect(labelComponents(m, 4).count).toBe(3);
  });
});

describe('pixel AUROC, AP and F1-max', () => {
  it('pools the pixels of every map (0/255 and 0/1 masks alike)', () => {
    // positives {0.9, 0.5}, negatives {0.1, 0.5}: pairs won 1 + 1 + 1 + ½ = 3.5 of 4.
    const maps = [map(2, 1, [0.9, 0.1]), map(2, 1, [0.5, 0.5])];
    const masks = [mask(2, 1, [255, 0]), mask(2, 1, [0, 1])];
    expect(pixelAuroc(maps, masks)).toBeCloseTo(0.875, 6);
    const m = pixelMetrics(maps, masks);
    // t=0.9: R=½,P=1 → ½; t=0.5: R=1,P=2/3 → +⅓.
    expect(m.ap).toBeCloseTo(0.5 + 1 / 3, 6);
    // F1 at 0.9: 2/3; at 0.5: 4/5; at 0.1: 2/3.
    expect(m.f1Max.f1).toBeCloseTo(0.8, 6);
  });

  it('refuses a map whose mask has another size', () => {
    expect(() => pixelAuroc([map(2, 1, [0, 1])], [mask(1, 2, [0, 1])])).toThrow(/mask/);
    expect(() => pixelAuroc([], [])).toThrow(RangeError);
  });
});

describe('PRO', () => {
  // 4×2 image; region A = two top-left pixels, region B = bottom-right pixel; 5 normal pixels.
  const gt = mask(4, 2, [1, 1, 0, 0, 0, 0, 0, 1]);
  const sc = map(4, 2, [0.9, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1, 0.6]);

  it('weights each region equally along the curve (hand-worked)', () => {
    const c = proCurve([sc], [gt])!;
    // t=0.9: A half found → ¼; t=0.6: B found → ¾; t=0.3: FPR 1/5; t=0.2: A complete → 1; t=0.1: FPR 1.
    expect(Array.from(c.fpr)).toEqual([0, 0, 0, 0.2, 0.2, 1]);
    expect(Array.from(c.pro).map((v) => +v.toFixed(12))).toEqual([0, 0.25, 0.75, 0.75, 1, 1]);
  });

  it('integrates to FPR 0.3 and normalises (hand-worked 5/6)', () => {
    // PRO = ¾ on FPR [0, 0.2), 1 on [0.2, 0.3]: area 0.15 + 0.1 = 0.25, / 0.3.
    expect(proScore([sc], [gt])).toBeCloseTo(5 / 6, 12);
  });

  it('interpolates a tied normal/anomalous step linearly at the FPR limit', () => {
    // normals {0.5, 0.1}, one anomalous pixel at 0.5: the curve jumps diagonally (0,0)→(0.5,1);
    // at FPR 0.3 the PRO is 0.6, area 0.09, normalised 0.3.
    expect(proScore([map(3, 1, [0.5, 0.1, 0.5])], [mask(3, 1, [0, 0, 1])])).toBeCloseTo(0.3, 12);
  });

  it('counts regions over all images, so a small region weighs as much as a big one', () => {
    // image 1: a 3-pixel region found at the top score; image 2: a 1-pixel region scored below
    // every normal pixel. Mean overlap stays ½ through FPR 0.3.
    const maps = [map(4, 1, [1, 1, 1, 0.5]), map(4, 1, [0.5, 0.5, 0.5, 0])];
    const masks = [mask(4, 1, [1, 1, 1, 0]), mask(4, 1, [0, 0, 0, 1])];
    expect(proScore(maps, masks)).toBeCloseTo(0.5, 12);
  });

  it('is 1 for a perfect detector and NaN without any region', () => {
    expect(proScore([map(3, 1, [0, 0.2, 0.9])], [mask(3, 1, [0, 0, 1])])).toBe(1);
    expect(proScore([map(2, 1, [0, 1])], [mask(2, 1, [0, 0])])).toBeNaN();
  });
});
