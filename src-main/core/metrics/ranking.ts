import { argsortFloat32Descending } from './radix';

/**
 * The shared step of every threshold metric: the confusion counts at each distinct score,
 * walking thresholds from the highest score down ("positive" = score ≥ threshold).
 *
 * Float32Array scores (pixel maps, millions of values) are ordered by a linear-time radix
 * argsort; other inputs have their positives' and negatives' scores sorted natively and
 * merged. Tied scores across classes fall into one step, which is what gives AUROC its
 * Mann-Whitney half credit for ties.
 */
export interface RankCurve {
  /** Distinct thresholds, strictly decreasing. */
  thresholds: Float64Array;
  /** True positives (positives with score ≥ thresholds[i]). */
  tp: Float64Array;
  /** False positives (negatives with score ≥ thresholds[i]). */
  fp: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * @param labels 1 (or any non-zero) = positive, 0 = negative
 * @param scores one score per sample (±Infinity allowed, NaN refused)
 * @throws RangeError on empty input, length mismatch or a NaN score
 */
export function rankCurve(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): RankCurve {
  const n = scores.length;
  if (n === 0) throw new RangeError('metrics: no samples');
  if (labels.length !== n) throw new RangeError(`metrics: ${n} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`metrics: score ${i} is NaN`);
    if (labels[i]) positives++;
  }
  const negatives = n - positives;
  if (scores instanceof Float32Array) return curveFromOrder(scores, labels, positives);
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i]) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();

  const thresholds = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let k = 0;
  let i = positives - 1;
  let j = negatives - 1;
  let t = 0;
  let f = 0;
  while (i >= 0 || j >= 0) {
    const a = i >= 0 ? pos[i] : -Infinity;
    const b = j >= 0 ? neg[j] : -Infinity;
    const s = a >= b ? a : b;
    while (i >= 0 && pos[i] === s) {
      t++;
      i--;
    }
    while (j >= 0 && neg[j] === s) {
      f++;
      j--;
    }
    thresholds[k] = s;
    tp[k] = t;
    fp[k] = f;
    k++;
  }
  return {
    thresholds: thresholds.slice(0, k),
    tp: tp.slice(0, k),
    fp: fp.slice(0, k),
    positives,
    negatives,
  };
}

function curveFromOrder(scores: Float32Array, labels: ArrayLike<number | boolean>, positives: number): RankCurve {
  const n = scores.length;
  const order = argsortFloat32Descending(scores);
  const thresholds = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let k = 0;
  let t = 0;
  let f = 0;
  for (let r = 0; r < n; ) {
    const s = scores[order[r]];
    while (r < n && scores[order[r]] === s) {
      if (labels[order[r]]) t++;
      else f++;
      r++;
    }
    thresholds[k] = s;
    tp[k] = t;
    fp[k] = f;
    k++;
  }
  return {
    thresholds: thresholds.slice(0, k),
    tp: tp.slice(0, k),
    fp: fp.slice(0, k),
    positives,
    negatives: n - positives,
  };
}
