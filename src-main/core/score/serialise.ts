import type { BatchNormState, ScorerParams } from './network';
import { DEFAULT_SCORER_SETTINGS, type ScorerSettings, type TrainedScorer } from './train';

export const SCORER_FORMAT = 'gaa-scorer';
export const SCORER_FORMAT_VERSION = 1;

/** A trained scorer as JSON-able plain data (weights as number arrays), for the engine to store. */
export interface SerialisedScorer {
  format: typeof SCORER_FORMAT;
  version: number;
  extractorId: string;
  settings: ScorerSettings;
  dim: number;
  hidden: number;
  featureMean: number[];
  featureStd: number[];
  adaptorWeight: number[];
  adaptorBias: number[];
  discWeight1: number[];
  discBias1: number[];
  bnGamma: number[];
  bnBeta: number[];
  discWeight2: number[];
  bnRunningMean: number[];
  bnRunningVar: number[];
  lossHistory: number[];
}

export function serialiseScorer(m: TrainedScorer): SerialisedScorer {
  const p = m.params;
  return {
    format: SCORER_FORMAT,
    version: SCORER_FORMAT_VERSION,
    extractorId: m.extractorId,
    settings: { ...m.settings },
    dim: p.dim,
    hidden: p.hidden,
    featureMean: Array.from(m.featureMean),
    featureStd: Array.from(m.featureStd),
    adaptorWeight: Array.from(p.adaptorWeight),
    adaptorBias: Array.from(p.adaptorBias),
    discWeight1: Array.from(p.discWeight1),
    discBias1: Array.from(p.discBias1),
    bnGamma: Array.from(p.bnGamma),
    bnBeta: Array.from(p.bnBeta),
    discWeight2: Array.from(p.discWeight2),
    bnRunningMean: Array.from(m.bn.runningMean),
    bnRunningVar: Array.from(m.bn.runningVar),
    lossHistory: [...m.lossHistory],
  };
}

/**
 * Rebuilds a scorer from `serialiseScorer`'s output (e.g. after JSON.parse).
 * @throws Error naming the first field that is missing, of the wrong length or not finite
 */
export function deserialiseScorer(raw: unknown): TrainedScorer {
  const o = raw as Partial<SerialisedScorer> | null;
  if (!o || typeof o !== 'object' || o.format !== SCORER_FORMAT) throw new Error('scorer: not a serialised scorer');
  if (o.version !== SCORER_FORMAT_VERSION) throw new Error(`scorer: unsupported format version ${String(o.version)}`);
  const dim = o.dim;
  const hidden = o.hidden;
  if (!Number.isInteger(dim) || !Number.isInteger(hidden) || dim! < 1 || hidden! < 1) {
    throw new Error('scorer: dim and hidden must be positive integers');
  }
  if (typeof o.extractorId !== 'string') throw new Error('scorer: extractorId missing');
  const vec = (name: keyof SerialisedScorer, length: number): Float64Array => {
    const v = o[name];
    if (!Array.isArray(v) || v.length !== length) throw new Error(`scorer: ${name} must hold ${length} numbers`);
    const out = Float64Array.from(v as number[]);
    for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new Error(`scorer: ${name}[${i}] is not finite`);
    return out;
  };
  const d = dim!;
  const h = hidden!;
  const params: ScorerParams = {
    dim: d,
    hidden: h,
    adaptorWeight: vec('adaptorWeight', d * d),
    adaptorBias: vec('adaptorBias', d),
    discWeight1: vec('discWeight1', h * d),
    discBias1: vec('discBias1', h),
    bnGamma: vec('bnGamma', h),
    bnBeta: vec('bnBeta', h),
    discWeight2: vec('discWeight2', h),
  };
  const bn: BatchNormState = { runningMean: vec('bnRunningMean', h), runningVar: vec('bnRunningVar', h) };
  return {
    extractorId: o.extractorId,
    settings: { ...DEFAULT_SCORER_SETTINGS, ...(o.settings ?? {}) },
    featureMean: vec('featureMean', d),
    featureStd: vec('featureStd', d),
    params,
    bn,
    lossHistory: Array.isArray(o.lossHistory) ? o.lossHistory.map(Number) : [],
  };
}
