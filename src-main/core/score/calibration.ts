/**
 * Per-location calibration of a normal model's patch scores (issue 15). On an aligned product some
 * places vary from one normal image to the next far more than others (devdata tire: the
 * specular highlight at the tread's centre, where every held-out normal image had its highest
 * score), so the largest raw score of an image says where it is, not whether it is defective.
 * Each location's score is turned into a z-score against the scores that location gets on normal
 * images the model was not fitted on: the training images are split in two halves, a model is
 * fitted on each and scores the other, and the per-location mean and standard deviation of
 * those held-out scores are kept on a fixed grid (positions as fractions of the image, so images
 * of other sizes map onto it, as PaDiM's locations do).
 */
import { gridCellOf, type PatchGrid } from './patch-features';

export interface LocationCalibration {
  gridW: number;
  gridH: number;
  /** Per cell: mean and standard deviation of held-out normal scores. */
  mean: Float32Array;
  std: Float32Array;
}

/**
 * A cell's spread never counts as less than the median cell's times this: a quiet cell (the
 * background) must not turn its noise into anomalies. On devdata (bench score --devdata, image
 * AUROC of the calibrated global Gaussian) a floor of 0.1 / 1 / 3 medians gave tire 0.739 /
 * 0.748 / 0.649, macaroni1 0.738 / 0.765 / 0.670, commutator 0.868 / 0.869 / 0.849.
 */
const MIN_STD_SHARE = 1;

/**
 * Fits the calibration: `fit` builds a model from some grids and returns its scoring function;
 * it is called on each half of `grids` (in their order) and scores the other half. Needs at least
 * 2 grids; the grid of the first image fixes the calibration grid.
 */
export function fitLocationCalibration(grids: readonly PatchGrid[], fit: (train: readonly PatchGrid[]) => (grid: PatchGrid) => Float32Array): LocationCalibration {
  if (grids.length < 2) throw new RangeError('scorer: calibration needs at least 2 normal images');
  const gridW = grids[0].gridW;
  const gridH = grids[0].gridH;
  const cells = gridW * gridH;
  const half = Math.floor(grids.length / 2);
  const folds: [readonly PatchGrid[], readonly PatchGrid[]][] = [
    [grids.slice(0, half), grids.slice(half)],
    [grids.slice(half), grids.slice(0, half)],
  ];
  const sum = new Float64Array(cells);
  const sq = new Float64Array(cells);
  let count = 0;
  for (const [train, held] of folds) {
    const score = fit(train);
    for (const g of held) {
      const s = score(g);
      for (let y = 0; y < gridH; y++) {
        const sy = gridCellOf(y, gridH, g.gridH);
        for (let x = 0; x < gridW; x++) {
          const v = s[sy * g.gridW + gridCellOf(x, gridW, g.gridW)];
          sum[y * gridW + x] += v;
          sq[y * gridW + x] += v * v;
        }
      }
      count++;
    }
  }
  const mean = new Float32Array(cells);
  const std = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    mean[i] = sum[i] / count;
    std[i] = Math.sqrt(Math.max(0, sq[i] / count - (sum[i] / count) ** 2));
  }
  const sorted = Float32Array.from(std).sort();
  const floor = Math.max(1e-6, MIN_STD_SHARE * sorted[Math.floor(sorted.length / 2)]);
  for (let i = 0; i < cells; i++) std[i] = Math.max(std[i], floor);
  return { gridW, gridH, mean, std };
}

/** The scores of a `gridW × gridH` patch grid as z-scores against the calibration, in place. */
export function applyLocationCalibration(scores: Float32Array, gridW: number, gridH: number, c: LocationCalibration): Float32Array {
  for (let y = 0; y < gridH; y++) {
    const cy = gridCellOf(y, gridH, c.gridH);
    for (let x = 0; x < gridW; x++) {
      const cell = cy * c.gridW + gridCellOf(x, gridW, c.gridW);
      const i = y * gridW + x;
      scores[i] = (scores[i] - c.mean[cell]) / c.std[cell];
    }
  }
  return scores;
}
