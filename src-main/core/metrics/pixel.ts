import type { Mask } from '../image/raster';
import { aurocOfCurve, averagePrecisionOfCurve, f1MaxOfCurve, type F1Max } from './classification';
import { rankCurve, type RankCurve } from './ranking';
import type { ScoreMap } from './score-map';

export interface PixelSamples {
  scores: Float32Array;
  /** 1 = anomalous (mask on), 0 = normal. */
  labels: Uint8Array;
}

/**
 * All pixels of a set of score maps with their ground truth, concatenated.
 * @throws RangeError when the lists differ in length, are empty, or a map and its mask differ in size
 */
export function flattenPixels(maps: readonly ScoreMap[], masks: readonly Mask[]): PixelSamples {
  if (maps.length === 0) throw new RangeError('pixel metrics: no score maps');
  if (maps.length !== masks.length) throw new RangeError(`pixel metrics: ${maps.length} score maps but ${masks.length} masks`);
  let total = 0;
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i];
    const g = masks[i];
    if (m.width !== g.width || m.height !== g.height) {
      throw new RangeError(`pixel metrics: map ${i} is ${m.width}×${m.height} but its mask is ${g.width}×${g.height}`);
    }
    if (m.data.length !== m.width * m.height || g.data.length !== g.width * g.height) {
      throw new RangeError(`pixel metrics: item ${i} has data of the wrong length`);
    }
    total += m.data.length;
  }
  const scores = new Float32Array(total);
  const labels = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < maps.length; i++) {
    scores.set(maps[i].data, o);
    const g = masks[i].data;
    for (let p = 0; p < g.length; p++) labels[o + p] = g[p] !== 0 ? 1 : 0;
    o += g.length;
  }
  return { scores, labels };
}

export function pixelCurve(maps: readonly ScoreMap[], masks: readonly Mask[]): RankCurve {
  const { scores, labels } = flattenPixels(maps, masks);
  return rankCurve(scores, labels);
}

export interface PixelMetrics {
  auroc: number;
  ap: number;
  f1Max: F1Max;
}

/** Pixel AUROC, AP and F1-max over every pixel of the set, from one sort. NaN as in classification.ts. */
export function pixelMetrics(maps: readonly ScoreMap[], masks: readonly Mask[]): PixelMetrics {
  const c = pixelCurve(maps, masks);
  return { auroc: aurocOfCurve(c), ap: averagePrecisionOfCurve(c), f1Max: f1MaxOfCurve(c) };
}

export function pixelAuroc(maps: readonly ScoreMap[], masks: readonly Mask[]): number {
  return aurocOfCurve(pixelCurve(maps, masks));
}

export function pixelAveragePrecision(maps: readonly ScoreMap[], masks: readonly Mask[]): number {
  return averagePrecisionOfCurve(pixelCurve(maps, masks));
}

export function pixelF1Max(maps: readonly ScoreMap[], masks: readonly Mask[]): F1Max {
  return f1MaxOfCurve(pixelCurve(maps, masks));
}
