import type { LocationCalibration } from './calibration';
import type { GaussianScorer } from './gaussian';
import type { ScoreModel } from './model';
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

export const GAUSSIAN_SCORER_FORMAT = 'gaa-gaussian-scorer';

/** A Gaussian normal model as JSON: its arrays as base64 little-endian bytes (a PaDiM model holds 10⁶ numbers). */
export interface SerialisedGaussianScorer {
  format: typeof GAUSSIAN_SCORER_FORMAT;
  version: 1;
  kind: GaussianScorer['kind'];
  extractorId: string;
  dim: number;
  localComponents: number;
  gridW: number;
  gridH: number;
  featureMean: string;
  featureStd: string;
  basis: string;
  eigenvalues: string;
  localMean: string;
  localInverse: string;
  /** Absent on uncalibrated models (and on every model stored before calibration existed). */
  calibration?: { gridW: number; gridH: number; mean: string; std: string };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Base64 of the array's bytes (platform byte order: little-endian on every machine the app runs on); core has no Buffer. */
function toBase64(a: Float64Array | Float32Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    chunk += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    if (chunk.length >= 65536) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

function base64Bytes(s: string): Uint8Array | null {
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const v = c === 61 && i + j >= s.length - pad ? 0 : c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function fromBase64<T extends Float64Array | Float32Array>(name: string, v: unknown, ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  if (typeof v !== 'string') throw new Error(`scorer: ${name} missing`);
  const bytes = base64Bytes(v);
  if (!bytes || bytes.byteLength !== length * ctor.BYTES_PER_ELEMENT) throw new Error(`scorer: ${name} must hold ${length} numbers`);
  const out = new ctor(bytes.buffer as ArrayBuffer);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new Error(`scorer: ${name}[${i}] is not finite`);
  return out;
}

export function serialiseScoreModel(m: ScoreModel): SerialisedScorer | SerialisedGaussianScorer {
  if (!('kind' in m)) return serialiseScorer(m);
  return {
    format: GAUSSIAN_SCORER_FORMAT,
    version: 1,
    kind: m.kind,
    extractorId: m.extractorId,
    dim: m.dim,
    localComponents: m.localComponents,
    gridW: m.gridW,
    gridH: m.gridH,
    featureMean: toBase64(m.featureMean),
    featureStd: toBase64(m.featureStd),
    basis: toBase64(m.basis),
    eigenvalues: toBase64(m.eigenvalues),
    localMean: toBase64(m.localMean),
    localInverse: toBase64(m.localInverse),
    ...(m.calibration
      ? { calibration: { gridW: m.calibration.gridW, gridH: m.calibration.gridH, mean: toBase64(m.calibration.mean), std: toBase64(m.calibration.std) } }
      : {}),
  };
}

/** Rebuilds any scorer `serialiseScoreModel` wrote (SimpleNet ones as `deserialiseScorer`). */
export function deserialiseScoreModel(raw: unknown): ScoreModel {
  const o = raw as Partial<SerialisedGaussianScorer> | null;
  if (!o || typeof o !== 'object' || o.format !== GAUSSIAN_SCORER_FORMAT) return deserialiseScorer(raw);
  if (o.version !== 1) throw new Error(`scorer: unsupported format version ${String(o.version)}`);
  if (o.kind !== 'gaussian' && o.kind !== 'padim') throw new Error(`scorer: unknown model kind ${String(o.kind)}`);
  if (typeof o.extractorId !== 'string') throw new Error('scorer: extractorId missing');
  const d = o.dim!;
  const k = o.localComponents!;
  const cells = o.gridW! * o.gridH!;
  if (![d, k, o.gridW, o.gridH].every((v) => Number.isInteger(v) && v! >= 0) || d < 1) throw new Error('scorer: bad model dimensions');
  return {
    kind: o.kind,
    extractorId: o.extractorId,
    dim: d,
    localComponents: k,
    gridW: o.gridW!,
    gridH: o.gridH!,
    featureMean: fromBase64('featureMean', o.featureMean, Float64Array, d),
    featureStd: fromBase64('featureStd', o.featureStd, Float64Array, d),
    basis: fromBase64('basis', o.basis, Float64Array, d * d),
    eigenvalues: fromBase64('eigenvalues', o.eigenvalues, Float64Array, d),
    localMean: fromBase64('localMean', o.localMean, Float32Array, cells * k),
    localInverse: fromBase64('localInverse', o.localInverse, Float32Array, cells * k * k),
    ...(o.calibration === undefined ? {} : { calibration: calibrationOf(o.calibration) }),
  };
}

function calibrationOf(c: unknown): LocationCalibration {
  const o = c as Partial<NonNullable<SerialisedGaussianScorer['calibration']>> | null;
  if (!o || typeof o !== 'object' || ![o.gridW, o.gridH].every((v) => Number.isInteger(v) && v! >= 1)) throw new Error('scorer: bad calibration grid');
  const cells = o.gridW! * o.gridH!;
  const std = fromBase64('calibration std', o.std, Float32Array, cells);
  for (let i = 0; i < cells; i++) if (!(std[i] > 0)) throw new Error(`scorer: calibration std[${i}] must be positive`);
  return { gridW: o.gridW!, gridH: o.gridH!, mean: fromBase64('calibration mean', o.mean, Float32Array, cells), std };
}
