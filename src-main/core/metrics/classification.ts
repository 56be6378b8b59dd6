import { rankCurve, type RankCurve } from './ranking';

/**
 * Area under the ROC curve by the trapezoid rule over distinct thresholds; with ties this
 * equals the Mann-Whitney U statistic / (P·N), a tied positive-negative pair counting ½.
 * Returns NaN when only one class is present (the curve is undefined); throws RangeError on
 * empty or mismatched input.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  return aurocOfCurve(rankCurve(scores, labels));
}

export function aurocOfCurve(c: RankCurve): number {
  if (c.positives === 0 || c.negatives === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    area += (c.fp[k] - prevFp) * (c.tp[k] + prevTp) * 0.5;
    prevTp = c.tp[k];
    prevFp = c.fp[k];
  }
  return area / (c.positives * c.negatives);
}

/**
 * Average precision as scikit-learn's `average_precision_score`: the step-wise sum
 * Σ_n (R_n − R_{n−1}) · P_n over distinct thresholds, no interpolation.
 * Returns NaN when there are no positives; throws RangeError on empty or mismatched input.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  return averagePrecisionOfCurve(rankCurve(scores, labels));
}

export function averagePrecisionOfCurve(c: RankCurve): number {
  if (c.positives === 0) return NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const recall = c.tp[k] / c.positives;
    const precision = c.tp[k] / (c.tp[k] + c.fp[k]);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

export interface F1Max {
  f1: number;
  /** Scores ≥ this threshold are predicted anomalous at the best F1. */
  threshold: number;
}

/**
 * The best F1 over all thresholds "score ≥ t" at distinct scores (as anomalib's F1Max).
 * Returns { f1: NaN, threshold: NaN } when there are no positives; throws on empty input.
 */
export function f1Max(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): F1Max {
  return f1MaxOfCurve(rankCurve(scores, labels));
}

export function f1MaxOfCurve(c: RankCurve): F1Max {
  if (c.positives === 0) return { f1: NaN, threshold: NaN };
  let best = 0;
  let threshold = c.thresholds[0];
  for (let k = 0; k < c.thresholds.length; k++) {
    // F1 = 2TP / (2TP + FP + FN), with FN = P − TP.
    const f1 = (2 * c.tp[k]) / (c.tp[k] + c.fp[k] + c.positives);
    if (f1 > best) {
      best = f1;
      threshold = c.thresholds[k];
    }
  }
  return { f1: best, threshold };
}

/**
 * Image-level AUROC: one score per image (e.g. the maximum of its score map) against its
 * label (1 = anomalous). Same conventions as `auroc`.
 */
export function imageAuroc(imageScores: ArrayLike<number>, isAnomalous: ArrayLike<number | boolean>): number {
  return auroc(imageScores, isAnomalous);
}

/**
 * Fraction of samples whose predicted class equals the true class (any comparable labels).
 * @throws RangeError on empty or mismatched input
 */
export function classificationAccuracy<T>(predicted: readonly T[], truth: readonly T[]): number {
  if (predicted.length === 0) throw new RangeError('accuracy: no samples');
  if (predicted.length !== truth.length) {
    throw new RangeError(`accuracy: ${predicted.length} predictions but ${truth.length} labels`);
  }
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / predicted.length;
}
