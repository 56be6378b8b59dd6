/**
 * The anomaly kind a new cluster starts with (METHOD.md §3), from its members' coarse label:
 * a "missing…" type (missing_nuts, missing cable) is a part that is not there, a logical anomaly
 * whose mask is the part's region, not a structural defect drawn on the surface. The user can
 * change it on the cluster card.
 */
const LOGICAL_TYPE = /(^|[^a-z])(missing|logical)/i;

export function defaultKindFor(defectType: string | null): 'logical' | 'structural' {
  return defectType !== null && LOGICAL_TYPE.test(defectType) ? 'logical' : 'structural';
}

/** The most common coarse label of a cluster's members (the first in order on a tie). */
export function majorityType(defectTypes: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const t of defectTypes) counts.set(t, (counts.get(t) ?? 0) + 1);
  let best: string | null = null;
  for (const [t, n] of counts) if (best === null || n > counts.get(best)!) best = t;
  return best;
}
