/**
 * Adaptive weighting (METHOD.md §1): each block z-scored per dimension over the N
 * samples, then scaled by w_b / sqrt(dim_b) so a block's share of the squared distance
 * follows its weight, not its length (LBP's 28 bins would otherwise outvote shape's 12).
 */
import { FEATURE_BLOCKS, type AnomalyFeatures, type FeatureBlock } from './types';

export interface FeatureMatrix {
  /** One row per sample, blocks concatenated in FEATURE_BLOCKS order. */
  matrix: Float64Array[];
  /** Columns each block contributes (0 for a block that is absent or weighted 0). */
  dims: Record<FeatureBlock, number>;
}

export function assembleFeatureMatrix(
  samples: readonly AnomalyFeatures[],
  weights: Partial<Record<FeatureBlock, number>> = {},
): FeatureMatrix {
  const dims: Record<FeatureBlock, number> = { colour: 0, texture: 0, shape: 0, deep: 0 };
  const n = samples.length;
  const used: FeatureBlock[] = [];
  for (const block of FEATURE_BLOCKS) {
    const present = samples.filter((s) => s[block] !== undefined).length;
    if (present === 0) continue;
    if (present !== n) throw new Error(`feature block '${block}' is present in ${present} of ${n} samples`);
    const dim = samples[0][block]!.length;
    if (samples.some((s) => s[block]!.length !== dim)) throw new Error(`feature block '${block}' differs in length`);
    const w = weights[block] ?? 1;
    if (w === 0 || dim === 0) continue;
    dims[block] = dim;
    used.push(block);
  }
  const total = used.reduce((s, b) => s + dims[b], 0);
  const matrix = Array.from({ length: n }, () => new Float64Array(total));
  let col = 0;
  for (const block of used) {
    const dim = dims[block];
    const scale = (weights[block] ?? 1) / Math.sqrt(dim);
    for (let j = 0; j < dim; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += samples[i][block]![j];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (samples[i][block]![j] - mean) ** 2;
      const sd = Math.sqrt(v / n);
      // A dimension with no spread (relative to its size) carries no information: 0.
      const flat = !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
      for (let i = 0; i < n; i++) matrix[i][col + j] = flat ? 0 : ((samples[i][block]![j] - mean) / sd) * scale;
    }
    col += dim;
  }
  return { matrix, dims };
}
