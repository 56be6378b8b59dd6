import type { Raster } from '../image/raster';
import type { ScoreMap } from '../metrics/score-map';
import { adapt, discriminate } from './network';
import type { PatchFeatureExtractor, PatchGrid } from './patch-features';
import { standardise } from './train';
import { scoreGaussianPatches } from './gaussian';
import type { ScoreModel } from './model';

/**
 * Per-patch anomaly score, higher = more anomalous, in grid order: S = −D(A(f)) for SimpleNet, the
 * Mahalanobis distance to the normal model for the Gaussian ones.
 */
export function scorePatches(model: ScoreModel, grid: PatchGrid): Float32Array {
  if ('kind' in model) return scoreGaussianPatches(model, grid);
  const { dim } = model.params;
  if (grid.dim !== dim) throw new RangeError(`scorer: features have ${grid.dim} dimensions, model expects ${dim}`);
  const n = grid.gridW * grid.gridH;
  const x = standardise(grid.data, n, dim, model.featureMean, model.featureStd, model.settings.featureScale);
  const d = discriminate(model.params, model.bn, adapt(model.params, x, n), n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -d[i];
  return out;
}

/**
 * Bilinear upsampling of a patch-score grid to the image size, the grid's cells covering the
 * image evenly and each value sitting at its cell centre (half-pixel centres, edges clamped,
 * as torch's interpolate with align_corners = false).
 */
export function upsampleBilinear(values: ArrayLike<number>, gridW: number, gridH: number, width: number, height: number): ScoreMap {
  if (values.length !== gridW * gridH) throw new RangeError('upsample: value count does not match the grid');
  const data = new Float32Array(width * height);
  const x0s = new Int32Array(width);
  const xts = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const gx = Math.min(gridW - 1, Math.max(0, ((x + 0.5) * gridW) / width - 0.5));
    x0s[x] = Math.min(gridW - 2, Math.floor(gx));
    if (gridW === 1) x0s[x] = 0;
    xts[x] = gridW === 1 ? 0 : gx - x0s[x];
  }
  for (let y = 0; y < height; y++) {
    const gy = Math.min(gridH - 1, Math.max(0, ((y + 0.5) * gridH) / height - 0.5));
    const y0 = gridH === 1 ? 0 : Math.min(gridH - 2, Math.floor(gy));
    const y1 = gridH === 1 ? 0 : y0 + 1;
    const ty = gridH === 1 ? 0 : gy - y0;
    for (let x = 0; x < width; x++) {
      const a = x0s[x];
      const b = gridW === 1 ? 0 : a + 1;
      const tx = xts[x];
      const top = values[y0 * gridW + a] * (1 - tx) + values[y0 * gridW + b] * tx;
      const bottom = values[y1 * gridW + a] * (1 - tx) + values[y1 * gridW + b] * tx;
      data[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return { width, height, data };
}

/** The score map S = U(−D(A(F_β(I)))) of §3.4 at the image's size, from precomputed features. */
export function scoreMapFromGrid(model: ScoreModel, grid: PatchGrid, width: number, height: number): ScoreMap {
  return upsampleBilinear(scorePatches(model, grid), grid.gridW, grid.gridH, width, height);
}

/** Extracts F_β and returns the image-size score map. */
export function scoreImage(model: ScoreModel, extractor: PatchFeatureExtractor, image: Raster): ScoreMap {
  if (extractor.id !== model.extractorId) {
    throw new RangeError(`scorer was trained with "${model.extractorId}", not "${extractor.id}"`);
  }
  return scoreMapFromGrid(model, extractor.extract(image), image.width, image.height);
}

/** Image-level score: the maximum of the map (the usual unsupervised detection score). */
export function maxScore(map: ScoreMap): number {
  let m = -Infinity;
  for (let i = 0; i < map.data.length; i++) if (map.data[i] > m) m = map.data[i];
  return m;
}
