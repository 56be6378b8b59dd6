/**
 * Homogeneity (Rosenberg & Hirschberg 2007, "V-measure"): 1 − H(truth | cluster) / H(truth).
 * 1 when every cluster holds one true type, whatever the number of clusters; 0 when the clusters
 * say nothing about the type. Used with the ARI to judge AMFC against hidden types.
 */
export function homogeneity(truth: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = truth.length;
  if (labels.length !== n) throw new Error(`labelings differ in length: ${n} vs ${labels.length}`);
  const joint = new Map<string, number>();
  const t = new Map<number, number>();
  const c = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${truth[i]}|${labels[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    t.set(truth[i], (t.get(truth[i]) ?? 0) + 1);
    c.set(labels[i], (c.get(labels[i]) ?? 0) + 1);
  }
  let hT = 0;
  for (const v of t.values()) hT -= (v / n) * Math.log(v / n);
  if (hT === 0) return 1;
  let hTgivenC = 0;
  for (const [key, v] of joint) hTgivenC -= (v / n) * Math.log(v / c.get(Number(key.split('|')[1]))!);
  return 1 - hTgivenC / hT;
}
