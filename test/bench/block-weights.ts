/**
 * Block weights chosen by cluster stability: a lever issue 15 named, measured by `npm run bench --
 * cluster --devdata ''` (`stableWeights`) and not used by the app. Each of 19 weightings of
 * {0.5, 1, 2} for colour, texture and shape is clustered on the whole set and on two-thirds
 * subsamples; the one whose partition the subsamples reproduce best (mean ARI: the stability
 * criterion of Ben-Hur, Elisseeff & Guyon 2002) is kept. On the app's features it did worse than
 * equal weights on macaroni1 (ARI 0.13 against 0.32) and no better on tire (README, "The concepts
 * it finds"), so AMFC keeps METHOD.md's equal weights.
 */
import { assembleFeatureMatrix, type AnomalyFeatures, type FeatureBlock } from '../../src-main/core/features';
import { createRng, deriveSeed } from '../../src-main/core/random';
import { amfc, leafLabels, type AmfcOptions } from '../../src-main/core/cluster/amfc';
import { adjustedRandIndex } from '../../src-main/core/cluster/ari';

export type BlockWeights = Record<'colour' | 'texture' | 'shape', number>;

export interface WeightCandidate {
  weights: BlockWeights;
  /** Mean ARI between the whole set's partition (restricted to a subsample) and the subsample's own. */
  stability: number;
  clusters: number;
}

export interface WeightChoice {
  weights: BlockWeights;
  stability: number;
  /** Every candidate tried, in the order tried (equal weights first: the tie-breaker). */
  candidates: WeightCandidate[];
}

export interface ChooseWeightsOptions {
  seed: number;
  amfc: Omit<AmfcOptions, 'seed'>;
  /** Subsamples per candidate; default 8. */
  subsamples?: number;
  /**
   * Share of the samples in each subsample; default 2/3. At 0.8 the subsamples were too alike to
   * tell weightings apart: with the (since removed) features version 2, devdata macaroni1 seed 0
   * kept a shape-heavy weighting that made 13 clusters (ARI 0.37); at 2/3 and at 1/2 all of seeds
   * 0-4 kept colour-heavy ones (ARI 0.60-0.71).
   */
  fraction?: number;
}

const LEVELS = [0.5, 1, 2] as const;

/**
 * The weightings of {0.5, 1, 2}³ up to scale (k-means does not see a common factor): every
 * triple with a 0.5 in it, and (1, 1, 1) first for (0.5, 0.5, 0.5) — 19 in all.
 */
export function weightCandidates(): BlockWeights[] {
  const out: BlockWeights[] = [{ colour: 1, texture: 1, shape: 1 }];
  for (const colour of LEVELS) {
    for (const texture of LEVELS) {
      for (const shape of LEVELS) {
        const w = [colour, texture, shape];
        if (!w.includes(0.5) || w.every((v) => v === 0.5)) continue;
        out.push({ colour, texture, shape });
      }
    }
  }
  return out;
}

/** Fewer samples than this: too few to judge stability; equal weights are kept. */
export const MIN_SAMPLES_FOR_CHOICE = 20;

/**
 * The most stable weighting for these samples. A deep block, when present, keeps weight 1. The
 * subsamples are drawn once, so every candidate is judged on the same ones.
 */
export function chooseBlockWeights(samples: readonly AnomalyFeatures[], opts: ChooseWeightsOptions): WeightChoice {
  const rng = createRng(deriveSeed(opts.seed, 'block-weights'));
  const n = samples.length;
  const subsampleCount = opts.subsamples ?? 8;
  const fraction = opts.fraction ?? 2 / 3;
  const candidates = weightCandidates();
  const equal = candidates[0];
  if (n < MIN_SAMPLES_FOR_CHOICE) return { weights: equal, stability: NaN, candidates: [] };
  const size = Math.max(2, Math.round(fraction * n));
  const subsamples = Array.from({ length: subsampleCount }, () =>
    rng
      .shuffle(Array.from({ length: n }, (_, i) => i))
      .slice(0, size)
      .sort((a, b) => a - b),
  );
  const tried: WeightCandidate[] = [];
  for (const weights of candidates) {
    const { matrix } = assembleFeatureMatrix(samples, weights as Partial<Record<FeatureBlock, number>>);
    const whole = leafLabels(amfc(matrix, { ...opts.amfc, seed: opts.seed }), n);
    let sum = 0;
    for (const idx of subsamples) {
      const sub = idx.map((i) => matrix[i]);
      const own = leafLabels(amfc(sub, { ...opts.amfc, seed: opts.seed }), sub.length);
      sum += adjustedRandIndex(
        idx.map((i) => whole[i]),
        own,
      );
    }
    tried.push({ weights, stability: sum / subsamples.length, clusters: new Set(whole).size });
  }
  let best = tried[0];
  for (const c of tried) if (c.stability > best.stability + 1e-12) best = c;
  return { weights: best.weights, stability: best.stability, candidates: tried };
}
