import { describe, expect, it } from 'vitest';
import { applyLocationCalibration, fitLocationCalibration } from '../../../../src-main/core/score/calibration';
import { fitGaussianScorer, scoreGaussianPatches, withLocationCalibration } from '../../../../src-main/core/score/gaussian';
import { chooseScoreModel } from '../../../../src-main/core/score/model';
import type { PatchGrid } from '../../../../src-main/core/score/patch-features';
import { deserialiseScoreModel, serialiseScoreModel } from '../../../../src-main/core/score/serialise';
import { imageAuroc } from '../../../../src-main/core/metrics';
import { createRng } from '../../../../src-main/core/random';

/** A 1-dimensional grid whose features are the scores themselves. */
const g = (gridW: number, gridH: number, values: number[]): PatchGrid => ({ gridW, gridH, dim: 1, data: Float32Array.from(values) });
/** A "model" fitted on any grids that scores a grid by its own feature values. */
const identity = () => (grid: PatchGrid) => Float32Array.from(grid.data);

describe('per-location calibration of patch scores', () => {
  it('keeps each location’s mean and spread over the held-out halves (every image held out once)', () => {
    // Location 0 scores 1, 3, 1, 3 (mean 2, std 1); location 1: 10, 12, 10, 12 (mean 11, std 1);
    // location 2: 10, 10, 14, 14 (mean 12, std 2). The median spread (1) floors none of them.
    const c = fitLocationCalibration([g(3, 1, [1, 10, 10]), g(3, 1, [3, 12, 10]), g(3, 1, [1, 10, 14]), g(3, 1, [3, 12, 14])], identity);
    expect([c.gridW, c.gridH]).toEqual([3, 1]);
    expect(Array.from(c.mean)).toEqual([2, 11, 12]);
    expect(Array.from(c.std)).toEqual([1, 1, 2]);
    // 5 at location 0 is 3 spreads out; 13 at location 1 is 2; 16 at location 2 is 2.
    expect(Array.from(applyLocationCalibration(Float32Array.from([5, 13, 16]), 3, 1, c))).toEqual([3, 2, 2]);
  });

  it('fits each half’s model on that half and scores only the other half', () => {
    const seen: number[][] = [];
    const grids = [g(1, 1, [1]), g(1, 1, [2]), g(1, 1, [3]), g(1, 1, [4]), g(1, 1, [5])];
    fitLocationCalibration(grids, (train) => {
      seen.push(train.map((t) => t.data[0]));
      return (grid) => Float32Array.from(grid.data);
    });
    expect(seen).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('never divides by a spread under the median location’s (a quiet background keeps its noise small)', () => {
    // Location 0 never varies; locations 1 and 2 have std 2 and 4: the median is 2.
    const c = fitLocationCalibration([g(3, 1, [5, 0, 0]), g(3, 1, [5, 4, 8])], identity);
    expect(Array.from(c.std)).toEqual([2, 2, 4]);
  });

  it('maps a grid of another size onto the calibration by position (fractions of the image)', () => {
    // Calibration 2 × 1 (left cell mean 0, right mean 100, std 1); a 4 × 1 grid's two left cells use the left one.
    const c = { gridW: 2, gridH: 1, mean: Float32Array.from([0, 100]), std: Float32Array.from([1, 1]) };
    expect(Array.from(applyLocationCalibration(Float32Array.from([1, 2, 101, 102]), 4, 1, c))).toEqual([1, 2, 1, 2]);
  });

  it('ranks a defect above a restless normal place, which the raw distance cannot', () => {
    // Normal images: 2-D features, N(0, 0.1²) everywhere except location 0, which swings by ±3 (a
    // highlight). A defect is a shift of 3 at another location. The raw maximum is the highlight
    // of the global model in every image; calibrated, the defect stands out.
    const rng = createRng(11);
    const image = (defect: boolean) =>
      ({
        gridW: 4,
        gridH: 4,
        dim: 2,
        data: Float32Array.from(Array.from({ length: 16 }, (_, i) => [(i === 0 ? 3 : 0.1) * rng.normal() + (defect && i === 10 ? 3 : 0), 0.1 * rng.normal()]).flat()),
      }) satisfies PatchGrid;
    const train = Array.from({ length: 24 }, () => image(false));
    const raw = fitGaussianScorer(train, 'test', 'gaussian');
    const calibrated = withLocationCalibration(raw, train);
    const tests = [...Array.from({ length: 20 }, () => image(false)), ...Array.from({ length: 20 }, () => image(true))];
    const labels = tests.map((_, i) => (i < 20 ? 0 : 1));
    const auroc = (m: typeof raw) => imageAuroc(tests.map((t) => Math.max(...scoreGaussianPatches(m, t))), labels);
    // Measured: raw 0.68, calibrated 1.
    expect(auroc(raw)).toBeLessThan(0.75);
    expect(auroc(calibrated)).toBeGreaterThan(0.95);
  });

  it('survives serialisation: the same scores after a round trip through JSON', () => {
    const rng = createRng(2);
    const train = Array.from({ length: 6 }, () => ({ gridW: 3, gridH: 2, dim: 2, data: Float32Array.from({ length: 12 }, () => rng.normal()) }));
    const model = withLocationCalibration(fitGaussianScorer(train, 'test', 'gaussian'), train);
    const back = deserialiseScoreModel(JSON.parse(JSON.stringify(serialiseScoreModel(model))));
    expect(Array.from(scoreGaussianPatches(back as typeof model, train[0]))).toEqual(Array.from(scoreGaussianPatches(model, train[0])));
    expect('calibration' in back && back.calibration !== undefined).toBe(true);
  });

  it('is chosen only where it checks better by more than 0.01 than its raw twin', () => {
    const both = (raw: number, cal: number) =>
      chooseScoreModel([
        { kind: 'padim', calibrated: false, imageAuroc: raw },
        { kind: 'padim', calibrated: true, imageAuroc: cal },
      ]);
    expect(both(0.54, 0.75)).toMatchObject({ kind: 'padim', calibrated: true });
    expect(both(0.75, 0.755)).toMatchObject({ kind: 'padim', calibrated: false });
    expect(both(0.75, 0.755).reason).toMatch(/padim \(calibrated\) 0\.755/);
  });
});

describe('the calibration guard of the model choice', () => {
  it('leaves out a calibrated model whose patch AUROC falls more than 0.05 under its raw twin’s, and says so', () => {
    const choice = chooseScoreModel([
      { kind: 'gaussian', calibrated: false, imageAuroc: 0.5, patchAuroc: 0.95 },
      { kind: 'gaussian', calibrated: true, imageAuroc: 0.75, patchAuroc: 0.53 },
      { kind: 'padim', calibrated: false, imageAuroc: 0.54, patchAuroc: 0.956 },
      { kind: 'padim', calibrated: true, imageAuroc: 0.745, patchAuroc: 0.554 },
    ]);
    expect(choice).toMatchObject({ kind: 'padim', calibrated: false });
    expect(choice.reason).toMatch(/left out, as calibration blurs where the defects are: gaussian \(calibrated\) \(patch AUROC 0\.530 against 0\.950\)/);
  });

  it('keeps one whose patch AUROC holds (within 0.05) or rises', () => {
    const choice = chooseScoreModel([
      { kind: 'gaussian', calibrated: false, imageAuroc: 0.82, patchAuroc: 0.905 },
      { kind: 'gaussian', calibrated: true, imageAuroc: 0.869, patchAuroc: 0.92 },
      { kind: 'padim', calibrated: false, imageAuroc: 0.746, patchAuroc: 0.956 },
      { kind: 'padim', calibrated: true, imageAuroc: 0.8, patchAuroc: 0.919 },
    ]);
    expect(choice).toMatchObject({ kind: 'gaussian', calibrated: true });
    expect(choice.reason).not.toMatch(/left out/);
  });
});
