import type { Mask } from '../image/raster';
import type { ScoreMap } from '../metrics/score-map';

/**
 * Eq. (7): ARS = Σ (S ⊙ M_align) / Σ M_align, the mean score inside the aligned mask ("on" =
 * non-zero, as every Mask). It rewards a generated anomaly that is both salient and where its
 * mask says.
 * @throws RangeError for an empty mask (the ratio is undefined; an aligned mask is never empty)
 *   or a mask whose size differs from the map
 */
export function anomalyRegionScore(scoreMap: ScoreMap, alignedMask: Mask): number {
  if (scoreMap.width !== alignedMask.width || scoreMap.height !== alignedMask.height) {
    throw new RangeError(
      `ARS: score map is ${scoreMap.width}×${scoreMap.height} but the mask is ${alignedMask.width}×${alignedMask.height}`,
    );
  }
  let sum = 0;
  let area = 0;
  const m = alignedMask.data;
  for (let i = 0; i < m.length; i++) {
    if (m[i] !== 0) {
      sum += scoreMap.data[i];
      area++;
    }
  }
  if (area === 0) throw new RangeError('ARS: the aligned mask is empty');
  return sum / area;
}

/**
 * Indices of the n highest scores, highest first; ties keep the earlier index first, NaN
 * scores are never kept. n larger than the list keeps every finite-or-infinite score.
 */
export function keepTopN(scores: ArrayLike<number>, n: number): number[] {
  if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`keepTopN: n must be a non-negative integer, got ${n}`);
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, n);
}
