/**
 * Variation that stays real (METHOD.md §2b): each pair scales its defect's contrast to the
 * surface within the range the cluster's own exemplars show, so a cluster of faint and strong
 * scratches yields faint and strong scratches, and a lone exemplar is varied only a little.
 */

import { maskArea, type Mask, type Raster } from '../image/raster';
import { anomalyStats } from './colour';

/**
 * A defect's contrast to its surface: |ΔL*| between the mask's inside and a ring around it as
 * wide as the mask's equivalent radius (3..16 px). The same measure for an exemplar and for a
 * generated pair, so the two can be compared.
 */
export function defectContrast(image: Raster, mask: Mask): number {
  const area = maskArea(mask);
  if (area === 0) return 0;
  const st = anomalyStats(image, mask, Math.min(16, Math.max(3, Math.round(Math.sqrt(area / Math.PI)))));
  return st.ring.count > 0 ? Math.abs(st.inside.mean[0] - st.ring.mean[0]) : 0;
}

/** The pair's contrast over its cluster's median exemplar contrast; null when the cluster has no measurable contrast. */
export function contrastRatio(pairContrast: number, clusterContrasts: readonly number[]): number | null {
  const valid = clusterContrasts.filter((c) => Number.isFinite(c) && c > 0).sort((a, b) => a - b);
  if (valid.length === 0) return null;
  const mid = valid.length >> 1;
  const median = valid.length % 2 ? valid[mid] : (valid[mid - 1] + valid[mid]) / 2;
  return pairContrast / median;
}

/** Gain limits: never wash a defect out or make it a caricature of itself. */
export const MIN_CONTRAST_GAIN = 0.6;
export const MAX_CONTRAST_GAIN = 1.6;
/** With no spread to learn from (one exemplar, or no measurable contrast): ±15 %. */
const LONE_SPREAD = 0.15;

/**
 * A contrast gain for a pair made from an exemplar of contrast `own` (|ΔL*| to its ring) in a
 * cluster whose exemplars have `clusterContrasts`: a target contrast drawn uniformly over the
 * cluster's range, divided by `own`, clamped to 0.6..1.6.
 */
export function drawContrastGain(uniform: () => number, clusterContrasts: readonly number[], own: number): number {
  const valid = clusterContrasts.filter((c) => Number.isFinite(c) && c > 0);
  if (!(own >= 1) || valid.length < 2) return 1 - LONE_SPREAD + 2 * LONE_SPREAD * uniform();
  const lo = Math.min(...valid);
  const hi = Math.max(...valid);
  const target = lo + (hi - lo) * uniform();
  return Math.min(MAX_CONTRAST_GAIN, Math.max(MIN_CONTRAST_GAIN, target / own));
}
