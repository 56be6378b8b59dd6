/**
 * Adaptive Multi-Round Anomaly Clustering (paper §3.2, METHOD.md §1): choose K by
 * CH/DB, then cluster again any cluster that is dense — larger than N / (ln(0.1·N) + 0.4)
 * for the N samples of its round — until none is dense, a cluster has too few members,
 * or maxRounds rounds have run. maxRounds = 1 is the single-round baseline.
 */
import { deriveSeed } from '../random';
import { calinskiHarabasz, daviesBouldin } from './indices';
import { selectK, type SelectKPoint } from './select-k';

export interface AmfcOptions {
  seed: number;
  maxRounds?: number;
  /** A cluster smaller than this is never split again (METHOD.md: 4). */
  minClusterSize?: number;
  kMax?: number;
  restarts?: number;
  /**
   * Caps K at ⌊n / minMeanClusterSize⌋ for a node of n samples. With few samples CH rises and
   * DB falls as clusters shrink to singletons, so the unbounded criterion picks K ≈ N − 1
   * (14 anomalies → 10 clusters); a concept needs a few exemplars to be learnt from. Off when
   * undefined (METHOD.md's plain k_max = min(10, N − 1)).
   */
  minMeanClusterSize?: number;
  /**
   * Keep a dense cluster's re-split only where it improves the CH/DB criterion of its parent's
   * partition (CH up and DB down, the two-candidate form of selectK's rule): the paper's rule
   * alone re-splits every large cluster, homogeneous ones included (ARI 0.24 instead of 1.0 on
   * 200 synthetic defects of four kinds). Default off (the paper's rule): on the real devdata
   * defects it kept macaroni1 to 4 clusters but lowered homogeneity from 0.62 to 0.41 at the same
   * ARI (0.31-0.32), and tire's from 0.38 to 0.24 (`npm run bench -- cluster --devdata ''`).
   */
  guardResplit?: boolean;
}

export interface ClusterNode {
  /** Path from the root: 'root', 'root.0', 'root.0.2', … (stable for a given seed). */
  id: string;
  /** Indices into the input points, ascending. */
  members: number[];
  /** 0 for the root (all samples); r for a cluster produced by round r. */
  round: number;
  /** Larger than the density threshold of the round that produced it. */
  dense: boolean;
  /** Clusters this node was split into; 1 when it was not split (a leaf). */
  k: number;
  /** CH and DB of this node's split; null for a leaf. */
  ch: number | null;
  db: number | null;
  /** selectK's curve for this node's split; empty for a leaf. */
  curve: SelectKPoint[];
  /** A dense cluster whose re-split was undone because it did not improve CH and DB (guardResplit). */
  resplitRejected?: boolean;
  children: ClusterNode[];
}

export type ClusterTree = ClusterNode;

/** N / (ln(0.1·N) + 0.4), or Infinity where the denominator is ≤ 1 (N ≤ 18): no cluster is dense. */
export function densityThreshold(n: number): number {
  const denominator = Math.log(0.1 * n) + 0.4;
  return denominator > 1 ? n / denominator : Infinity;
}

export function amfc(points: readonly Float64Array[], opts: AmfcOptions): ClusterTree {
  const maxRounds = opts.maxRounds ?? 3;
  const minClusterSize = opts.minClusterSize ?? 4;
  const root = leaf('root', points.map((_, i) => i), 0, false);

  const split = (node: ClusterNode, round: number): void => {
    const subset = node.members.map((i) => points[i]);
    const byMeanSize = opts.minMeanClusterSize ? Math.floor(subset.length / opts.minMeanClusterSize) : Infinity;
    const kMax = Math.min(opts.kMax ?? 10, byMeanSize);
    if (kMax < 2) return;
    const choice = selectK(subset, { seed: deriveSeed(opts.seed, node.id), kMax, restarts: opts.restarts });
    if (choice.k < 2) return;
    const groups = new Map<number, number[]>();
    choice.labels.forEach((label, j) => {
      const g = groups.get(label);
      if (g) g.push(node.members[j]);
      else groups.set(label, [node.members[j]]);
    });
    const picked = choice.curve.find((c) => c.k === choice.k)!;
    node.k = groups.size;
    node.ch = picked.ch;
    node.db = picked.db;
    node.curve = choice.curve;
    const threshold = densityThreshold(node.members.length);
    // Children ordered by their smallest member, so ids do not depend on k-means' label order.
    const ordered = [...groups.values()].sort((a, b) => a[0] - b[0]);
    node.children = ordered.map((members, c) => leaf(`${node.id}.${c}`, members, round, members.length > threshold));
    for (const child of node.children) {
      if (!(child.dense && round < maxRounds && child.members.length >= minClusterSize)) continue;
      split(child, round + 1);
      if (opts.guardResplit === true && child.children.length > 0 && !resplitImproves(node, child)) {
        Object.assign(child, { k: 1, ch: null, db: null, curve: [], children: [], resplitRejected: true });
      }
    }
  };

  /** CH and DB over the parent's members: its leaves with `child` whole, against with `child` re-split. */
  const resplitImproves = (parent: ClusterNode, child: ClusterNode): boolean => {
    const subset = parent.members.map((i) => points[i]);
    const position = new Map(parent.members.map((m, j) => [m, j]));
    const labelsOf = (groups: number[][]) => {
      const labels = new Int32Array(subset.length);
      groups.forEach((g, c) => g.forEach((m) => (labels[position.get(m)!] = c)));
      return labels;
    };
    const others = parent.children.filter((c) => c !== child).flatMap((c) => leaves(c).map((l) => l.members));
    const whole = labelsOf([...others, child.members]);
    const split = labelsOf([...others, ...leaves(child).map((l) => l.members)]);
    return calinskiHarabasz(subset, split) > calinskiHarabasz(subset, whole) && daviesBouldin(subset, split) < daviesBouldin(subset, whole);
  };

  if (maxRounds >= 1) split(root, 1);
  return root;
}

function leaf(id: string, members: number[], round: number, dense: boolean): ClusterNode {
  return { id, members, round, dense, k: 1, ch: null, db: null, curve: [], children: [] };
}

/** The final anomaly clusters, depth-first. */
export function leaves(tree: ClusterTree): ClusterNode[] {
  if (tree.children.length === 0) return [tree];
  return tree.children.flatMap(leaves);
}

/** Each input's final cluster as an index into leaves(tree). */
export function leafLabels(tree: ClusterTree, n: number): Int32Array {
  const labels = new Int32Array(n).fill(-1);
  leaves(tree).forEach((node, c) => {
    for (const i of node.members) labels[i] = c;
  });
  return labels;
}
