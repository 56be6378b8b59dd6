import type { Rng } from '../random';

/**
 * The trainable part of the SimpleNet-style scorer (Liu et al. 2023, as used by §3.4):
 * feature adaptor A (one linear layer, dim → dim) and discriminator
 * D = linear(dim → hidden) → batch norm → leaky ReLU(0.2) → linear(hidden → 1, no bias).
 * Everything is Float64 so the hand-written backward pass can be checked by finite differences.
 */
export interface ScorerParams {
  dim: number;
  hidden: number;
  /** dim × dim, row = output unit. */
  adaptorWeight: Float64Array;
  adaptorBias: Float64Array;
  /** hidden × dim, row = hidden unit. */
  discWeight1: Float64Array;
  discBias1: Float64Array;
  bnGamma: Float64Array;
  bnBeta: Float64Array;
  /** hidden → scalar, no bias (as SimpleNet's tail). */
  discWeight2: Float64Array;
}

export type ParamBlock =
  | 'adaptorWeight'
  | 'adaptorBias'
  | 'discWeight1'
  | 'discBias1'
  | 'bnGamma'
  | 'bnBeta'
  | 'discWeight2';

export const PARAM_BLOCKS: readonly ParamBlock[] = [
  'adaptorWeight',
  'adaptorBias',
  'discWeight1',
  'discBias1',
  'bnGamma',
  'bnBeta',
  'discWeight2',
];

export const ADAPTOR_BLOCKS: readonly ParamBlock[] = ['adaptorWeight', 'adaptorBias'];

/** Batch-norm statistics used at scoring time (eval mode). */
export interface BatchNormState {
  runningMean: Float64Array;
  runningVar: Float64Array;
}

export const BN_EPS = 1e-5;
export const LEAK = 0.2;

export type Gradients = Record<ParamBlock, Float64Array>;

function xavierNormal(out: number, inp: number, rng: Rng): Float64Array {
  const std = Math.sqrt(2 / (out + inp));
  const w = new Float64Array(out * inp);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
  return w;
}

/** Xavier-normal weights (SimpleNet's init), zero biases, identity batch-norm affine. */
export function initParams(dim: number, hidden: number, rng: Rng): ScorerParams {
  return {
    dim,
    hidden,
    adaptorWeight: xavierNormal(dim, dim, rng),
    adaptorBias: new Float64Array(dim),
    discWeight1: xavierNormal(hidden, dim, rng),
    discBias1: new Float64Array(hidden),
    bnGamma: new Float64Array(hidden).fill(1),
    bnBeta: new Float64Array(hidden),
    discWeight2: xavierNormal(1, hidden, rng),
  };
}

export function initBatchNorm(hidden: number): BatchNormState {
  return { runningMean: new Float64Array(hidden), runningVar: new Float64Array(hidden).fill(1) };
}

/** out (n × dout) = x (n × din) · Wᵀ + b */
function linear(x: Float64Array, n: number, din: number, w: Float64Array, b: Float64Array | null, dout: number): Float64Array {
  const out = new Float64Array(n * dout);
  const d4 = din - (din % 4);
  for (let i = 0; i < n; i++) {
    const xo = i * din;
    for (let j = 0; j < dout; j++) {
      const wo = j * din;
      // Four partial sums: the dot product is the training loop's hot spot.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        a0 += x[xo + k] * w[wo + k];
        a1 += x[xo + k + 1] * w[wo + k + 1];
        a2 += x[xo + k + 2] * w[wo + k + 2];
        a3 += x[xo + k + 3] * w[wo + k + 3];
      }
      for (; k < din; k++) a0 += x[xo + k] * w[wo + k];
      out[i * dout + j] = (b ? b[j] : 0) + (a0 + a1 + a2 + a3);
    }
  }
  return out;
}

/** Accumulates dW (dout × din) += dOutᵀ · x and returns dx (n × din) = dOut · W. */
function linearBackward(
  dOut: Float64Array, x: Float64Array, n: number, din: number, w: Float64Array, dout: number,
  dW: Float64Array, dB: Float64Array | null, needDx: boolean,
): Float64Array | null {
  const dx = needDx ? new Float64Array(n * din) : null;
  for (let i = 0; i < n; i++) {
    const xo = i * din;
    for (let j = 0; j < dout; j++) {
      const g = dOut[i * dout + j];
      if (g === 0) continue;
      const wo = j * din;
      if (dB) dB[j] += g;
      for (let k = 0; k < din; k++) dW[wo + k] += g * x[xo + k];
      if (dx) for (let k = 0; k < din; k++) dx[xo + k] += g * w[wo + k];
    }
  }
  return dx;
}

/** Feature adaptor A: adapted = x · Waᵀ + ba for n rows. */
export function adapt(p: ScorerParams, x: Float64Array, n: number): Float64Array {
  return linear(x, n, p.dim, p.adaptorWeight, p.adaptorBias, p.dim);
}

/** Discriminator output D(adapted) per row, batch norm from running statistics (eval mode). */
export function discriminate(p: ScorerParams, bn: BatchNormState, adapted: Float64Array, n: number): Float64Array {
  const h = p.hidden;
  const pre = linear(adapted, n, p.dim, p.discWeight1, p.discBias1, h);
  const out = new Float64Array(n);
  const scale = new Float64Array(h);
  for (let j = 0; j < h; j++) scale[j] = p.bnGamma[j] / Math.sqrt(bn.runningVar[j] + BN_EPS);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < h; j++) {
      const y = (pre[i * h + j] - bn.runningMean[j]) * scale[j] + p.bnBeta[j];
      s += (y > 0 ? y : LEAK * y) * p.discWeight2[j];
    }
    out[i] = s;
  }
  return out;
}

export interface LossSettings {
  /** th⁺: positives are pushed to D ≥ th⁺. */
  thPositive: number;
  /** th⁻: negatives are pushed to D ≤ −th⁻. */
  thNegative: number;
}

export interface TrainingPass {
  loss: number;
  grads: Gradients;
  /** Batch mean and biased variance of the pre-norm activations, for the running statistics. */
  batchMean: Float64Array;
  batchVar: Float64Array;
  /** Rows in the batch-norm batch (positives + negatives). */
  rows: number;
}

/**
 * One forward and backward pass on n normal patch features x with Gaussian perturbations
 * `noise` (n × dim). Positives are A(x), negatives A(x) + noise; both go through D as one
 * batch (one set of batch-norm statistics), as SimpleNet does. Truncated-L1 loss (SimpleNet
 * Eq. 4, th⁺ = th⁻ = 0.5 in App. B.2):
 *   L = mean(max(0, th⁺ − D(pos))) + mean(max(0, th⁻ + D(neg))).
 */
export function lossAndGradients(p: ScorerParams, x: Float64Array, noise: Float64Array, n: number, loss: LossSettings): TrainingPass {
  const d = p.dim;
  const h = p.hidden;
  const m = 2 * n;
  const adapted = adapt(p, x, n);
  const u = new Float64Array(m * d);
  u.set(adapted, 0);
  for (let i = 0; i < n * d; i++) u[n * d + i] = adapted[i] + noise[i];

  const pre = linear(u, m, d, p.discWeight1, p.discBias1, h);
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  for (let i = 0; i < m; i++) for (let j = 0; j < h; j++) mean[j] += pre[i * h + j];
  for (let j = 0; j < h; j++) mean[j] /= m;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < h; j++) {
      const c = pre[i * h + j] - mean[j];
      variance[j] += c * c;
    }
  }
  for (let j = 0; j < h; j++) variance[j] /= m;
  const invStd = new Float64Array(h);
  for (let j = 0; j < h; j++) invStd[j] = 1 / Math.sqrt(variance[j] + BN_EPS);
  const xhat = new Float64Array(m * h);
  const act = new Float64Array(m * h);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < h; j++) {
      const k = i * h + j;
      xhat[k] = (pre[k] - mean[j]) * invStd[j];
      const y = p.bnGamma[j] * xhat[k] + p.bnBeta[j];
      act[k] = y > 0 ? y : LEAK * y;
      s += act[k] * p.discWeight2[j];
    }
    out[i] = s;
  }

  let total = 0;
  const dOut = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const mp = loss.thPositive - out[i];
    if (mp > 0) {
      total += mp / n;
      dOut[i] = -1 / n;
    }
    const mn = loss.thNegative + out[n + i];
    if (mn > 0) {
      total += mn / n;
      dOut[n + i] = 1 / n;
    }
  }

  const grads: Gradients = {
    adaptorWeight: new Float64Array(d * d),
    adaptorBias: new Float64Array(d),
    discWeight1: new Float64Array(h * d),
    discBias1: new Float64Array(h),
    bnGamma: new Float64Array(h),
    bnBeta: new Float64Array(h),
    discWeight2: new Float64Array(h),
  };
  // Through the tail and the leaky ReLU to the batch-norm output y.
  const dy = new Float64Array(m * h);
  for (let i = 0; i < m; i++) {
    const g = dOut[i];
    if (g === 0) continue;
    for (let j = 0; j < h; j++) {
      const k = i * h + j;
      grads.discWeight2[j] += g * act[k];
      const slope = act[k] > 0 ? 1 : LEAK;
      dy[k] = g * p.discWeight2[j] * slope;
    }
  }
  // Batch norm in training mode: dx = (1/m)·invStd·(m·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), dx̂ = γ·dy.
  const sumDxhat = new Float64Array(h);
  const sumDxhatXhat = new Float64Array(h);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < h; j++) {
      const k = i * h + j;
      grads.bnGamma[j] += dy[k] * xhat[k];
      grads.bnBeta[j] += dy[k];
      const dxh = dy[k] * p.bnGamma[j];
      sumDxhat[j] += dxh;
      sumDxhatXhat[j] += dxh * xhat[k];
    }
  }
  const dPre = new Float64Array(m * h);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < h; j++) {
      const k = i * h + j;
      dPre[k] = (invStd[j] / m) * (m * dy[k] * p.bnGamma[j] - sumDxhat[j] - xhat[k] * sumDxhatXhat[j]);
    }
  }
  const dU = linearBackward(dPre, u, m, d, p.discWeight1, h, grads.discWeight1, grads.discBias1, true)!;
  // Negatives are A(x) + noise, so both halves flow back into the adaptor.
  const dAdapted = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) dAdapted[i] = dU[i] + dU[n * d + i];
  linearBackward(dAdapted, x, n, d, p.adaptorWeight, d, grads.adaptorWeight, grads.adaptorBias, false);

  return { loss: total, grads, batchMean: mean, batchVar: variance, rows: m };
}
