/**
 * How many aligned masks (and so pairs) each cluster gets out of a total. `proportional` (the
 * default) shares the total by cluster size, so a one-member cluster does not get as many pairs
 * from its single exemplar as a cluster of eighteen; `equal` gives every cluster the same count.
 */

export type Allocation = 'proportional' | 'equal';

export const allocations: readonly Allocation[] = ['proportional', 'equal'];

/**
 * Splits `total` over clusters of the given sizes by the largest-remainder method: each gets
 * ⌊total·size/Σsize⌋ (or ⌊total/k⌋ for `equal`), and the units left go to the largest remainders
 * (ties: the larger cluster, then the earlier one). The counts always sum to `total`; empty
 * clusters get none.
 */
export function allocateCounts(total: number, sizes: readonly number[], allocation: Allocation): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0, not ${total}`);
  const weights = sizes.map((s) => (s > 0 ? (allocation === 'equal' ? 1 : s) : 0));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return sizes.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .filter(({ i }) => weights[i] > 0)
    .sort((a, b) => b.rest - a.rest || sizes[b.i] - sizes[a.i] || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts;
}
