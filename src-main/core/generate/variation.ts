/**
 * Variation that stays real (METHOD.md §2b): each pair scales its defect's contrast to the
 * surface within the range the cluster's own exemplars show, so a cluster of faint and strong
 * scratches yields faint and strong scratches, and a lone exemplar is varied only a little.
 */

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
