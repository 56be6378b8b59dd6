/**
 * Normal models without training loops, beside the SimpleNet discriminator (issue 15):
 * - `gaussian`: one multivariate Gaussian of all normal patch features, scored by Mahalanobis
 *   distance (a texture has the same statistics everywhere);
 * - `padim`: a Gaussian per grid location (PaDiM, Defard et al. 2021) for aligned objects, where
 *   what is normal at the rim is abnormal in the middle. Each location's mean and covariance are
 *   estimated from its 3×3 neighbourhood over every normal image (9× the samples, and tolerance to
 *   a cell of misalignment), in the top principal components of the global model, shrunk towards
 *   the global covariance; the remaining components keep the global model's distance.
 * Both fit in seconds, so the scorer can try them all and keep the one the self-check prefers.
 */
import { applyLocationCalibration, fitLocationCalibration, type LocationCalibration } from './calibration';
import { gridCellOf, type PatchGrid } from './patch-features';

export type GaussianKind = 'gaussian' | 'padim';

export interface GaussianScorer {
  kind: GaussianKind;
  extractorId: string;
  dim: number;
  /** Per-dimension mean and std of the normal patch features (features are standardised first). */
  featureMean: Float64Array;
  featureStd: Float64Array;
  /** Global eigenvectors (row j = component j, by decreasing eigenvalue) and eigenvalues of the standardised covariance, shrunk. */
  basis: Float64Array;
  eigenvalues: Float64Array;
  /** padim only: components modelled per location, the model grid and per location mean (k) and inverse covariance (k × k). */
  localComponents: number;
  gridW: number;
  gridH: number;
  localMean: Float32Array;
  localInverse: Float32Array;
  /** Scores as per-location z-scores against held-out normal images (calibration.ts); absent = raw distances. */
  calibration?: LocationCalibration;
}

export interface GaussianSettings {
  /** Added to every eigenvalue of the standardised covariance (PaDiM's 0.01·I), so near-constant dimensions cannot dominate. */
  ridge: number;
  /** padim: principal components modelled per location. */
  localComponents: number;
  /** padim: weight of the global covariance in each location's shrunk covariance. */
  shrinkage: number;
  /** Rows sampled for the global covariance at most (evenly spaced over all training patches). */
  maxRows: number;
}

export const DEFAULT_GAUSSIAN_SETTINGS: GaussianSettings = { ridge: 0.01, localComponents: 16, shrinkage: 0.1, maxRows: 60000 };

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric n × n matrix (row-major, not modified).
 * Returns eigenvalues in decreasing order and the eigenvectors as rows in the same order.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    if (off <= 1e-24 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => {
    values[r] = a[col * n + col];
    for (let k = 0; k < n; k++) vectors[r * n + k] = v[k * n + col];
  });
  return { values, vectors };
}

/** Inverse of a symmetric positive-definite k × k matrix by Cholesky. */
function spdInverse(m: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * k + j];
      for (let t = 0; t < j; t++) sum -= l[i * k + t] * l[j * k + t];
      if (i === j) l[i * k + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * k + j] = sum / l[j * k + j];
    }
  }
  // inv(L) by forward substitution, then inv(M) = inv(L)ᵀ inv(L).
  const li = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    li[i * k + i] = 1 / l[i * k + i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let t = j; t < i; t++) sum -= l[i * k + t] * li[t * k + j];
      li[i * k + j] = sum / l[i * k + i];
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let t = i; t < k; t++) sum += li[t * k + i] * li[t * k + j];
      inv[i * k + j] = sum;
      inv[j * k + i] = sum;
    }
  }
  return inv;
}

/**
 * Fits the global Gaussian (`gaussian`) or the per-location one (`padim`) on the patch grids of
 * normal images. Deterministic: no randomness at all.
 */
export function fitGaussianScorer(
  grids: readonly PatchGrid[],
  extractorId: string,
  kind: GaussianKind,
  settings: Partial<GaussianSettings> = {},
): GaussianScorer {
  const s = { ...DEFAULT_GAUSSIAN_SETTINGS, ...settings };
  if (grids.length === 0) throw new RangeError('scorer: no normal images to fit on');
  const d = grids[0].dim;
  for (const g of grids) if (g.dim !== d) throw new RangeError(`scorer: feature grids differ in dimension (${g.dim} vs ${d})`);
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  let rows = 0;
  for (const g of grids) {
    const n = g.gridW * g.gridH;
    for (let i = 0; i < n * d; i++) {
      const v = g.data[i];
      mean[i % d] += v;
      sq[i % d] += v * v;
    }
    rows += n;
  }
  const std = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    mean[k] /= rows;
    const v = sq[k] / rows - mean[k] * mean[k];
    std[k] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  // Covariance of the standardised features over evenly spaced rows.
  const every = Math.max(1, Math.ceil(rows / s.maxRows));
  const cov = new Float64Array(d * d);
  const z = new Float64Array(d);
  let used = 0;
  let r = 0;
  for (const g of grids) {
    const n = g.gridW * g.gridH;
    for (let i = 0; i < n; i++, r++) {
      if (r % every !== 0) continue;
      for (let k = 0; k < d; k++) z[k] = (g.data[i * d + k] - mean[k]) / std[k];
      for (let a = 0; a < d; a++) {
        const za = z[a];
        if (za === 0) continue;
        for (let b = a; b < d; b++) cov[a * d + b] += za * z[b];
      }
      used++;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b] /= used;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  for (let j = 0; j < d; j++) values[j] = Math.max(0, values[j]) + s.ridge;
  const model: GaussianScorer = {
    kind,
    extractorId,
    dim: d,
    featureMean: mean,
    featureStd: std,
    basis: vectors,
    eigenvalues: values,
    localComponents: 0,
    gridW: 0,
    gridH: 0,
    localMean: new Float32Array(0),
    localInverse: new Float32Array(0),
  };
  if (kind === 'gaussian') return model;

  const k = Math.min(s.localComponents, d);
  const gw = grids[0].gridW;
  const gh = grids[0].gridH;
  // Whitened top-k coordinates of every training patch, resampled to the model grid.
  const coords = grids.map((g) => {
    const w = whitenedCoordinates(model, g, k);
    const out = new Float64Array(gw * gh * k);
    for (let y = 0; y < gh; y++) {
      const sy = gridCellOf(y, gh, g.gridH);
      for (let x = 0; x < gw; x++) {
        const sx = gridCellOf(x, gw, g.gridW);
        out.set(w.top.subarray((sy * g.gridW + sx) * k, (sy * g.gridW + sx + 1) * k), (y * gw + x) * k);
      }
    }
    return out;
  });
  const localMean = new Float32Array(gw * gh * k);
  const localInverse = new Float32Array(gw * gh * k * k);
  const m = new Float64Array(k);
  const c = new Float64Array(k * k);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      m.fill(0);
      c.fill(0);
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= gh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= gw) continue;
          for (const co of coords) {
            const o = (yy * gw + xx) * k;
            for (let a = 0; a < k; a++) {
              m[a] += co[o + a];
              for (let b = a; b < k; b++) c[a * k + b] += co[o + a] * co[o + b];
            }
            n++;
          }
        }
      }
      for (let a = 0; a < k; a++) m[a] /= n;
      for (let a = 0; a < k; a++) {
        for (let b = a; b < k; b++) {
          // Whitened coordinates have the identity as global covariance: shrink towards it.
          const local = c[a * k + b] / n - m[a] * m[b];
          const v = (1 - s.shrinkage) * local + (a === b ? s.shrinkage : 0);
          c[a * k + b] = v;
          c[b * k + a] = v;
        }
      }
      const inv = spdInverse(c, k);
      const cell = y * gw + x;
      for (let a = 0; a < k; a++) localMean[cell * k + a] = m[a];
      for (let a = 0; a < k * k; a++) localInverse[cell * k * k + a] = inv[a];
    }
  }
  return { ...model, localComponents: k, gridW: gw, gridH: gh, localMean, localInverse };
}

/** Per patch: the first k global components whitened (k values) and the squared Mahalanobis distance in the rest. */
function whitenedCoordinates(model: GaussianScorer, grid: PatchGrid, k: number): { top: Float64Array; rest: Float64Array } {
  const d = model.dim;
  const n = grid.gridW * grid.gridH;
  const top = new Float64Array(n * k);
  const rest = new Float64Array(n);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) z[t] = (grid.data[i * d + t] - model.featureMean[t]) / model.featureStd[t];
    let r = 0;
    for (let j = 0; j < d; j++) {
      const row = j * d;
      let p = 0;
      for (let t = 0; t < d; t++) p += model.basis[row + t] * z[t];
      const w = p / Math.sqrt(model.eigenvalues[j]);
      if (j < k) top[i * k + j] = w;
      else r += w * w;
    }
    rest[i] = r;
  }
  return { top, rest };
}

/**
 * The model with its per-location calibration (calibration.ts): two more fits of the same kind,
 * each on half of `grids`, score the other half.
 */
export function withLocationCalibration(model: GaussianScorer, grids: readonly PatchGrid[], settings: Partial<GaussianSettings> = {}): GaussianScorer {
  const calibration = fitLocationCalibration(grids, (train) => {
    const half = fitGaussianScorer(train, model.extractorId, model.kind, settings);
    return (g) => rawGaussianScores(half, g);
  });
  return { ...model, calibration };
}

/**
 * Per-patch anomaly score: the Mahalanobis distance to the normal model (global, or the patch's
 * location's), as a z-score against held-out normal images where the model is calibrated.
 */
export function scoreGaussianPatches(model: GaussianScorer, grid: PatchGrid): Float32Array {
  const raw = rawGaussianScores(model, grid);
  return model.calibration ? applyLocationCalibration(raw, grid.gridW, grid.gridH, model.calibration) : raw;
}

function rawGaussianScores(model: GaussianScorer, grid: PatchGrid): Float32Array {
  if (grid.dim !== model.dim) throw new RangeError(`scorer: features have ${grid.dim} dimensions, model expects ${model.dim}`);
  const n = grid.gridW * grid.gridH;
  const out = new Float32Array(n);
  if (model.kind === 'gaussian') {
    const { rest } = whitenedCoordinates(model, grid, 0);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(rest[i]);
    return out;
  }
  const k = model.localComponents;
  const { top, rest } = whitenedCoordinates(model, grid, k);
  const diff = new Float64Array(k);
  for (let y = 0; y < grid.gridH; y++) {
    const my = gridCellOf(y, grid.gridH, model.gridH);
    for (let x = 0; x < grid.gridW; x++) {
      const cell = my * model.gridW + gridCellOf(x, grid.gridW, model.gridW);
      const i = y * grid.gridW + x;
      for (let a = 0; a < k; a++) diff[a] = top[i * k + a] - model.localMean[cell * k + a];
      let q = 0;
      const base = cell * k * k;
      for (let a = 0; a < k; a++) {
        let row = 0;
        for (let b = 0; b < k; b++) row += model.localInverse[base + a * k + b] * diff[b];
        q += diff[a] * row;
      }
      out[i] = Math.sqrt(Math.max(0, q) + rest[i]);
    }
  }
  return out;
}
