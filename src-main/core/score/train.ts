import type { Raster } from '../image/raster';
import { Adam } from './adam';
import { ADAPTOR_BLOCKS, initBatchNorm, initParams, lossAndGradients, PARAM_BLOCKS, type BatchNormState, type ScorerParams } from './network';
import type { PatchFeatureExtractor, PatchGrid } from './patch-features';
import { createRng } from '../random';

/** App. B.2's values are the defaults; every one is a setting stored with the scorer. */
export interface ScorerSettings {
  epochs: number;
  /** Images per optimisation step; a step sees every patch of those images. */
  batchImages: number;
  /** Std of the Gaussian noise that turns adapted normal features into negatives. */
  noiseStd: number;
  thPositive: number;
  thNegative: number;
  lrDiscriminator: number;
  lrAdaptor: number;
  weightDecay: number;
  /** Discriminator hidden width; null = the feature dimension. */
  hidden: number | null;
  /**
   * Features are standardised per dimension over the training patches, then multiplied by
   * this, which sets the noise level relative to the normal features' spread (the paper's
   * 0.015 was tuned for WideResNet features, not for standardised hand-crafted ones). 0.05 puts
   * the noise at 0.3 of the normal spread: on the demo, 0.02 (noise 0.75 of the spread) taught the
   * discriminator to spot isotropic noise rather than the normal manifold (tile image AUROC 0.92
   * vs 0.93 at 40 epochs, and 0.61 at 0.005), while 0.1 had not converged after 40 epochs (0.84).
   */
  featureScale: number;
  bnMomentum: number;
  /**
   * Fraction of each image's patches used in an optimisation step (a fresh random subset each
   * step). 1 = every patch, as SimpleNet; smaller fractions buy more, cheaper steps.
   */
  patchFraction: number;
  seed: number;
}

export const DEFAULT_SCORER_SETTINGS: ScorerSettings = {
  epochs: 160,
  batchImages: 4,
  noiseStd: 0.015,
  thPositive: 0.5,
  thNegative: 0.5,
  lrDiscriminator: 2e-4,
  lrAdaptor: 1e-4,
  weightDecay: 1e-5,
  hidden: null,
  featureScale: 0.05,
  bnMomentum: 0.1,
  patchFraction: 1,
  seed: 1,
};

export interface TrainedScorer {
  /** The `PatchFeatureExtractor.id` the scorer was trained with; scoring refuses any other. */
  extractorId: string;
  settings: ScorerSettings;
  featureMean: Float64Array;
  featureStd: Float64Array;
  params: ScorerParams;
  bn: BatchNormState;
  /** Mean truncated-L1 loss of each epoch. */
  lossHistory: number[];
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
}

/**
 * Trains the scorer on patch grids of normal images only (§3.4, App. B.2). Deterministic for a
 * given seed. `onEpoch` is called after every epoch; throwing from it stops training.
 */
export function trainScorerOnGrids(
  grids: readonly PatchGrid[],
  extractorId: string,
  settings: Partial<ScorerSettings> = {},
  onEpoch?: (p: EpochProgress) => void,
): TrainedScorer {
  const s: ScorerSettings = { ...DEFAULT_SCORER_SETTINGS, ...settings };
  if (grids.length === 0) throw new RangeError('scorer: no normal images to train on');
  if (!(s.epochs >= 1) || !(s.batchImages >= 1)) throw new RangeError('scorer: epochs and batchImages must be ≥ 1');
  if (!(s.patchFraction > 0 && s.patchFraction <= 1)) throw new RangeError(`scorer: patchFraction must be in (0, 1], got ${s.patchFraction}`);
  const dim = grids[0].dim;
  for (const g of grids) {
    if (g.dim !== dim) throw new RangeError(`scorer: feature grids differ in dimension (${g.dim} vs ${dim})`);
  }
  const { mean, std } = featureStatistics(grids);
  const inputs = grids.map((g) => standardise(g.data, g.gridW * g.gridH, dim, mean, std, s.featureScale));
  const rng = createRng(s.seed);
  const hidden = s.hidden ?? dim;
  const params = initParams(dim, hidden, rng);
  const bn = initBatchNorm(hidden);
  const discBlocks = PARAM_BLOCKS.filter((b) => !ADAPTOR_BLOCKS.includes(b));
  const adamD = new Adam(discBlocks.map((b) => params[b]), {
    lr: s.lrDiscriminator, weightDecay: s.weightDecay, beta1: 0.9, beta2: 0.999, eps: 1e-8,
  });
  const adamA = new Adam(ADAPTOR_BLOCKS.map((b) => params[b]), {
    lr: s.lrAdaptor, weightDecay: s.weightDecay, beta1: 0.9, beta2: 0.999, eps: 1e-8,
  });

  const lossHistory: number[] = [];
  const order = grids.map((_, i) => i);
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let epochLoss = 0;
    let steps = 0;
    for (let start = 0; start < order.length; start += s.batchImages) {
      const members = order.slice(start, start + s.batchImages);
      const x = batchRows(members.map((k) => inputs[k]), dim, s.patchFraction, rng);
      const n = x.length / dim;
      const noise = new Float64Array(n * dim);
      for (let i = 0; i < noise.length; i++) noise[i] = rng.normal() * s.noiseStd;
      const pass = lossAndGradients(params, x, noise, n, s);
      adamD.step(discBlocks.map((b) => pass.grads[b]));
      adamA.step(ADAPTOR_BLOCKS.map((b) => pass.grads[b]));
      // Running statistics as torch's BatchNorm1d: unbiased variance, momentum on the new value.
      const unbias = pass.rows > 1 ? pass.rows / (pass.rows - 1) : 1;
      for (let j = 0; j < hidden; j++) {
        bn.runningMean[j] = (1 - s.bnMomentum) * bn.runningMean[j] + s.bnMomentum * pass.batchMean[j];
        bn.runningVar[j] = (1 - s.bnMomentum) * bn.runningVar[j] + s.bnMomentum * pass.batchVar[j] * unbias;
      }
      epochLoss += pass.loss;
      steps++;
    }
    lossHistory.push(epochLoss / steps);
    onEpoch?.({ epoch, epochs: s.epochs, loss: epochLoss / steps });
  }
  return { extractorId, settings: s, featureMean: mean, featureStd: std, params, bn, lossHistory };
}

/** The rows of the step's images, all of them or a random `fraction` of each image's rows. */
export function batchRows(images: readonly Float64Array[], dim: number, fraction: number, rng: ReturnType<typeof createRng>): Float64Array {
  const counts = images.map((m) => {
    const rows = m.length / dim;
    return fraction >= 1 ? rows : Math.max(1, Math.min(rows, Math.round(rows * fraction)));
  });
  const x = new Float64Array(counts.reduce((a, b) => a + b, 0) * dim);
  let o = 0;
  images.forEach((m, idx) => {
    const rows = m.length / dim;
    if (counts[idx] === rows) {
      x.set(m, o);
      o += m.length;
      return;
    }
    // Partial Fisher-Yates: the first `count` entries of a shuffled index list.
    const index = Array.from({ length: rows }, (_, i) => i);
    for (let i = 0; i < counts[idx]; i++) {
      const j = i + Math.floor(rng.next() * (rows - i));
      [index[i], index[j]] = [index[j], index[i]];
      x.set(m.subarray(index[i] * dim, (index[i] + 1) * dim), o);
      o += dim;
    }
  });
  return x;
}

/** Extracts F_β on every normal image, then trains (see trainScorerOnGrids). */
export function trainScorer(
  normals: readonly Raster[],
  extractor: PatchFeatureExtractor,
  settings: Partial<ScorerSettings> = {},
  onEpoch?: (p: EpochProgress) => void,
): TrainedScorer {
  return trainScorerOnGrids(normals.map((r) => extractor.extract(r)), extractor.id, settings, onEpoch);
}

function featureStatistics(grids: readonly PatchGrid[]): { mean: Float64Array; std: Float64Array } {
  const dim = grids[0].dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let rows = 0;
  for (const g of grids) {
    const n = g.gridW * g.gridH;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < dim; k++) {
        const v = g.data[i * dim + k];
        mean[k] += v;
        sq[k] += v * v;
      }
    }
    rows += n;
  }
  const std = new Float64Array(dim);
  for (let k = 0; k < dim; k++) {
    mean[k] /= rows;
    const v = sq[k] / rows - mean[k] * mean[k];
    // A dimension constant over the normals keeps unit scale, so any change in it still shows.
    std[k] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  return { mean, std };
}

export function standardise(
  data: Float32Array, rows: number, dim: number, mean: Float64Array, std: Float64Array, scale: number,
): Float64Array {
  const out = new Float64Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < dim; k++) out[i * dim + k] = ((data[i * dim + k] - mean[k]) / std[k]) * scale;
  }
  return out;
}
