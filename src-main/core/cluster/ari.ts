/**
 * Adjusted Rand index (Hubert & Arabie 1985): pair-counting agreement of two labelings,
 * 1 for identical partitions (up to renaming), about 0 for independent ones.
 */
function comb2(x: number): number {
  return (x * (x - 1)) / 2;
}

export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`labelings differ in length: ${n} vs ${b.length}`);
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  const cells = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
    const key = `${a[i]}\u0000${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  // Both labelings trivial in the same way (one cluster, or all singletons, or empty):
  // a perfect match whose ARI would otherwise be 0/0 (scikit-learn's convention).
  if (rows.size === cols.size && (rows.size <= 1 || rows.size === n)) return 1;
  let index = 0;
  for (const v of cells.values()) index += comb2(v);
  let sumA = 0;
  for (const v of rows.values()) sumA += comb2(v);
  let sumB = 0;
  for (const v of cols.values()) sumB += comb2(v);
  const expected = (sumA * sumB) / comb2(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
