import { createRng } from '../random';

/**
 * A small random forest (Breiman 2001) for few-shot pixel classification: bootstrap samples,
 * a random subset of features per split, Gini impurity. Split thresholds are searched on
 * per-feature quantile bins (as histogram-based gradient boosting does), so a node costs
 * O(samples × features tried) rather than a sort per feature.
 */

export interface ForestOptions {
  /** Default 24. */
  trees?: number;
  /** Default 12. */
  maxDepth?: number;
  /** Smallest number of samples in a leaf. Default 2. */
  minLeaf?: number;
  /** Features tried per split. Default round(√features). */
  featuresPerSplit?: number;
  /** Quantile bins per feature for the threshold search (≤ 256). Default 32. */
  bins?: number;
}

export interface DecisionTree {
  /** Per node: the split feature, or −1 for a leaf. */
  feature: Int32Array;
  /** Per node: go left when value ≤ threshold. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Per node: class probabilities (classes values per node), used at leaves. */
  leaf: Float64Array;
}

export interface RandomForest {
  classes: number;
  features: number;
  trees: DecisionTree[];
}

/** Per-feature quantile edges; bin(v) = number of edges below v, so "bin ≤ b" ⇔ v ≤ edges[b]. */
function quantileEdges(x: Float32Array, n: number, f: number, bins: number): Float64Array[] {
  const col = new Float64Array(n);
  const edges: Float64Array[] = [];
  for (let j = 0; j < f; j++) {
    for (let i = 0; i < n; i++) col[i] = x[i * f + j];
    col.sort();
    const e: number[] = [];
    for (let k = 1; k < bins; k++) {
      const v = col[Math.min(n - 1, Math.floor((k * n) / bins))];
      if (e.length === 0 || v > e[e.length - 1]) e.push(v);
    }
    // The top edge never splits anything off; drop it.
    if (e.length && e[e.length - 1] >= col[n - 1]) e.pop();
    edges.push(Float64Array.from(e));
  }
  return edges;
}

function binIndex(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Growing {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  leaf: number[];
}

/**
 * Trains a forest on n samples of f features (row-major `x`, length n·f) with labels
 * 0..classes−1. Deterministic for a given seed.
 */
export function trainForest(x: Float32Array, y: ArrayLike<number>, classes: number, seed: number, options: ForestOptions = {}): RandomForest {
  const n = y.length;
  const f = n > 0 ? x.length / n : 0;
  if (n === 0 || !Number.isInteger(f)) throw new Error('trainForest: no samples, or x is not n × features');
  const nTrees = options.trees ?? 24;
  const maxDepth = options.maxDepth ?? 12;
  const minLeaf = Math.max(1, options.minLeaf ?? 2);
  const mtry = Math.max(1, Math.min(f, options.featuresPerSplit ?? Math.round(Math.sqrt(f))));
  const nBins = Math.min(256, Math.max(2, options.bins ?? 32));
  const edges = quantileEdges(x, n, f, nBins);
  const binned = new Uint8Array(n * f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) binned[i * f + j] = binIndex(edges[j], x[i * f + j]);

  const rng = createRng(seed);
  const counts = new Float64Array(nBins * classes);
  const leftCounts = new Float64Array(classes);
  const total = new Float64Array(classes);
  const featureOrder = new Int32Array(f);
  const trees: DecisionTree[] = [];

  for (let t = 0; t < nTrees; t++) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const g: Growing = { feature: [], threshold: [], left: [], right: [], leaf: [] };
    const stack: { node: number; start: number; end: number; depth: number }[] = [];
    const newNode = (): number => {
      g.feature.push(-1);
      g.threshold.push(0);
      g.left.push(-1);
      g.right.push(-1);
      for (let c = 0; c < classes; c++) g.leaf.push(0);
      return g.feature.length - 1;
    };
    stack.push({ node: newNode(), start: 0, end: n, depth: 0 });
    while (stack.length) {
      const { node, start, end, depth } = stack.pop()!;
      const m = end - start;
      total.fill(0);
      for (let i = start; i < end; i++) total[y[idx[i]]]++;
      let sumSq = 0;
      for (let c = 0; c < classes; c++) {
        g.leaf[node * classes + c] = total[c] / m;
        sumSq += total[c] * total[c];
      }
      const parentGini = 1 - sumSq / (m * m);
      if (depth >= maxDepth || m < 2 * minLeaf || parentGini <= 1e-12) continue;

      for (let j = 0; j < f; j++) featureOrder[j] = j;
      let bestGain = 1e-12;
      let bestFeature = -1;
      let bestBin = -1;
      for (let k = 0; k < mtry; k++) {
        // Partial Fisher-Yates: the first mtry entries are a uniform random subset.
        const r = k + rng.int(f - k);
        const j = featureOrder[r];
        featureOrder[r] = featureOrder[k];
        featureOrder[k] = j;
        const nb = edges[j].length + 1;
        if (nb < 2) continue;
        counts.fill(0, 0, nb * classes);
        for (let i = start; i < end; i++) {
          const s = idx[i];
          counts[binned[s * f + j] * classes + y[s]]++;
        }
        leftCounts.fill(0);
        let nLeft = 0;
        for (let b = 0; b < nb - 1; b++) {
          for (let c = 0; c < classes; c++) {
            leftCounts[c] += counts[b * classes + c];
            nLeft += counts[b * classes + c];
          }
          const nRight = m - nLeft;
          if (nLeft < minLeaf) continue;
          if (nRight < minLeaf) break;
          let sl = 0;
          let sr = 0;
          for (let c = 0; c < classes; c++) {
            const l = leftCounts[c];
            const r2 = total[c] - l;
            sl += l * l;
            sr += r2 * r2;
          }
          // Weighted child Gini: (nL·(1 − ΣpL²) + nR·(1 − ΣpR²)) / m.
          const child = (nLeft - sl / nLeft + nRight - sr / nRight) / m;
          const gain = parentGini - child;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = j;
            bestBin = b;
          }
        }
      }
      if (bestFeature < 0) continue;
      let lo = start;
      let hi = end - 1;
      while (lo <= hi) {
        if (binned[idx[lo] * f + bestFeature] <= bestBin) lo++;
        else {
          const tmp = idx[lo];
          idx[lo] = idx[hi];
          idx[hi] = tmp;
          hi--;
        }
      }
      const l = newNode();
      const r = newNode();
      g.feature[node] = bestFeature;
      g.threshold[node] = edges[bestFeature][bestBin];
      g.left[node] = l;
      g.right[node] = r;
      stack.push({ node: l, start, end: lo, depth: depth + 1 }, { node: r, start: lo, end, depth: depth + 1 });
    }
    trees.push({
      feature: Int32Array.from(g.feature),
      threshold: Float64Array.from(g.threshold),
      left: Int32Array.from(g.left),
      right: Int32Array.from(g.right),
      leaf: Float64Array.from(g.leaf),
    });
  }
  return { classes, features: f, trees };
}

/**
 * Class probabilities (mean of the trees' leaf distributions) for n samples (row-major `x`,
 * length n·features); returns n·classes values.
 */
export function predictForest(forest: RandomForest, x: Float32Array): Float32Array {
  const { classes, features: f, trees } = forest;
  const n = x.length / f;
  const out = new Float32Array(n * classes);
  const w = 1 / trees.length;
  for (const tree of trees) {
    const { feature, threshold, left, right, leaf } = tree;
    for (let i = 0; i < n; i++) {
      let node = 0;
      const row = i * f;
      while (feature[node] >= 0) node = x[row + feature[node]] <= threshold[node] ? left[node] : right[node];
      const o = node * classes;
      for (let c = 0; c < classes; c++) out[i * classes + c] += w * leaf[o + c];
    }
  }
  return out;
}
