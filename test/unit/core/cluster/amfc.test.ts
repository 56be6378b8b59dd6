import { describe, expect, it } from 'vitest';
import { amfc, densityThreshold, leafLabels, leaves, type ClusterNode } from '../../../../src-main/core/cluster/amfc';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { gaussianBlobs } from './blobs';

function allNodes(n: ClusterNode): ClusterNode[] {
  return [n, ...n.children.flatMap(allNodes)];
}

describe('dense-cluster threshold N / (ln(0.1·N) + 0.4)', () => {
  it('matches hand-computed values and is off while the denominator is ≤ 1', () => {
    // N = 30: ln 3 + 0.4 = 1.49861 → 20.0185; N = 100: ln 10 + 0.4 = 2.70259 → 37.0016.
    expect(densityThreshold(30)).toBeCloseTo(30 / (Math.log(3) + 0.4), 12);
    expect(densityThreshold(30)).toBeCloseTo(20.0185, 4);
    expect(densityThreshold(100)).toBeCloseTo(37.0016, 4);
    // ln(1.8) + 0.4 = 0.988 ≤ 1; ln(1.9) + 0.4 = 1.042 > 1.
    expect(densityThreshold(18)).toBe(Infinity);
    expect(densityThreshold(19)).toBeCloseTo(19 / (Math.log(1.9) + 0.4), 12);
  });
});

describe('adaptive multi-round clustering', () => {
  it('splits a dense cluster again when it is just above the threshold', () => {
    // N = 30 → threshold 20.02: a cluster of 21 is dense.
    const { points } = gaussianBlobs([21, 9], { seed: 21, separation: 40 });
    // The paper's rule as printed (the guard below would keep this homogeneous blob whole).
    const tree = amfc(points, { seed: 1, guardResplit: false });
    expect(tree.k).toBe(2);
    const [big, small] = tree.children;
    expect([big.members.length, small.members.length]).toEqual([21, 9]);
    expect(big.dense).toBe(true);
    expect(big.round).toBe(1);
    expect(big.children.length).toBeGreaterThanOrEqual(2);
    expect(big.children.every((c) => c.round === 2)).toBe(true);
    expect(small.dense).toBe(false);
    expect(small.children).toEqual([]);
  });

  it('keeps a dense but homogeneous cluster whole under the guard, where the paper’s rule shatters it', () => {
    // N = 200 → threshold 58.9: both blobs of 100 are dense, and neither has any sub-structure.
    const { points, truth } = gaussianBlobs([100, 100], { seed: 4, separation: 40 });
    const guarded = amfc(points, { seed: 1, guardResplit: true });
    expect(leaves(guarded).length).toBe(2);
    expect(adjustedRandIndex(truth, leafLabels(guarded, 200))).toBe(1);
    expect(guarded.children.every((c) => c.resplitRejected === true)).toBe(true);
    const printed = amfc(points, { seed: 1, guardResplit: false });
    expect(leaves(printed).length).toBeGreaterThan(2);
    expect(adjustedRandIndex(truth, leafLabels(printed, 200))).toBeLessThan(1);
  });

  it('leaves a cluster alone when it is just below the threshold', () => {
    // 20 < 20.02: not dense.
    const { points } = gaussianBlobs([20, 10], { seed: 21, separation: 40 });
    const tree = amfc(points, { seed: 1 });
    expect(tree.children.map((c) => c.members.length)).toEqual([20, 10]);
    expect(tree.children.every((c) => !c.dense && c.children.length === 0)).toBe(true);
    expect(leaves(tree).length).toBe(2);
  });

  it('runs a single round when maxRounds is 1, even with a dense cluster', () => {
    const { points } = gaussianBlobs([21, 9], { seed: 21, separation: 40 });
    const tree = amfc(points, { seed: 1, maxRounds: 1 });
    expect(tree.children[0].dense).toBe(true);
    expect(leaves(tree).length).toBe(2);
  });

  it('stops after three rounds and keeps the leaves a partition of the inputs', () => {
    // One big diffuse blob keeps producing dense clusters round after round.
    const { points } = gaussianBlobs([200], { seed: 31, dim: 2 });
    const tree = amfc(points, { seed: 2, guardResplit: false });
    const rounds = allNodes(tree).map((n) => n.round);
    expect(Math.max(...rounds)).toBeLessThanOrEqual(3);
    const labels = leafLabels(tree, points.length);
    expect([...labels].every((l) => l >= 0)).toBe(true);
    expect(leaves(tree).reduce((s, l) => s + l.members.length, 0)).toBe(200);
    for (const node of allNodes(tree)) {
      if (node.children.length === 0) continue;
      expect(node.k).toBe(node.children.length);
      expect(node.ch).not.toBeNull();
      expect(node.curve.length).toBeGreaterThan(0);
      expect(node.children.flatMap((c) => c.members).sort((a, b) => a - b)).toEqual(node.members);
    }
  });

  it('gives a single leaf for fewer than 4 samples', () => {
    const tree = amfc([Float64Array.of(0), Float64Array.of(5), Float64Array.of(10)], { seed: 1 });
    expect(leaves(tree)).toEqual([tree]);
    expect(tree.k).toBe(1);
  });

  it('gives the same tree for the same seed', () => {
    const { points } = gaussianBlobs([40, 30, 25], { seed: 41, separation: 4 });
    expect(amfc(points, { seed: 7 })).toEqual(amfc(points, { seed: 7 }));
  });

  it('caps K at n / minMeanClusterSize so a handful of samples is not shattered into singletons', () => {
    // 14 points with no structure: the unbounded criterion is free to pick up to 10 clusters.
    const { points } = gaussianBlobs([14], { seed: 5, spread: 1 });
    const capped = leaves(amfc(points, { seed: 1, maxRounds: 1, minMeanClusterSize: 4 }));
    expect(capped.length).toBeLessThanOrEqual(Math.floor(14 / 4));
    // Three real groups of 5, 5 and 4 are still found under the cap.
    const blobs = gaussianBlobs([5, 5, 4], { seed: 9 });
    const labels = leafLabels(amfc(blobs.points, { seed: 1, maxRounds: 1, minMeanClusterSize: 4 }), 14);
    expect(new Set(labels).size).toBe(3);
    for (let i = 0; i < 14; i++) for (let j = 0; j < 14; j++) expect(labels[i] === labels[j]).toBe(blobs.truth[i] === blobs.truth[j]);
    // Fewer than 2·4 samples: a single cluster.
    expect(leaves(amfc(gaussianBlobs([3, 4], { seed: 2 }).points, { seed: 1, minMeanClusterSize: 4 }))).toHaveLength(1);
  });
});
