import { describe, expect, it } from 'vitest';
import { fitGaussianScorer, scoreGaussianPatches, symmetricEigen } from '../../../../src-main/core/score/gaussian';
import { chooseScoreModel } from '../../../../src-main/core/score/model';
import type { PatchGrid } from '../../../../src-main/core/score/patch-features';
import { scorePatches } from '../../../../src-main/core/score/scoring';
import { deserialiseScoreModel, serialiseScoreModel } from '../../../../src-main/core/score/serialise';
import { createRng } from '../../../../src-main/core/random';

const grid = (gridW: number, gridH: number, dim: number, rows: number[][]): PatchGrid => ({
  gridW,
  gridH,
  dim,
  data: Float32Array.from(rows.flat()),
});

describe('symmetric eigen-decomposition', () => {
  it('finds the eigenvalues 3 and 1 of [[2, 1], [1, 2]] with the (1, 1)/√2 direction first', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[1]).toBeGreaterThan(0);
  });

  it('reconstructs a random symmetric 6 × 6 matrix as V diag(λ) Vᵀ', () => {
    const rng = createRng(3);
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[k * n + i] * values[k] * vectors[k * n + j];
        expect(s).toBeCloseTo(a[i * n + j], 9);
      }
    }
  });
});

describe('Gaussian normal models', () => {
  it('scores a patch by its Mahalanobis distance to the normal patches (hand-worked, with the 0.01 ridge)', () => {
    // Normal rows (±1, 0) and (0, ±2): mean 0, std √0.5 and √2, standardised covariance = I.
    const normal = grid(2, 2, 2, [[1, 0], [-1, 0], [0, 2], [0, -2]]);
    const model = fitGaussianScorer([normal], 'test', 'gaussian');
    const s = scoreGaussianPatches(model, grid(2, 1, 2, [[2, 0], [0, 0]]));
    // (2, 0) standardised is (2/√0.5, 0) = (2√2, 0); distance 2√2 / √1.01.
    expect(s[0]).toBeCloseTo((2 * Math.SQRT2) / Math.sqrt(1.01), 5);
    expect(s[1]).toBeCloseTo(0, 6);
  });

  it('per location (PaDiM) flags what is normal elsewhere but not here, which one global model cannot', () => {
    // Every normal image: texture A (feature ≈ +1) on the left three columns, B (≈ −1) on the right
    // three (each location pools its 3 × 3 neighbourhood, so the outer columns see one texture only).
    const rng = createRng(5);
    const image = (left: number, right: number) =>
      grid(6, 2, 2, Array.from({ length: 12 }, (_, i) => [(i % 6 < 3 ? left : right) + 0.1 * rng.normal(), 0.1 * rng.normal()]));
    const normals = Array.from({ length: 20 }, () => image(1, -1));
    const swapped = image(-1, 1);
    const usual = image(1, -1);
    const padim = fitGaussianScorer(normals, 'test', 'padim', { localComponents: 2 });
    const global = fitGaussianScorer(normals, 'test', 'gaussian');
    const max = (a: Float32Array) => Math.max(...a);
    expect(max(scoreGaussianPatches(padim, swapped))).toBeGreaterThan(3 * max(scoreGaussianPatches(padim, usual)));
    // The global model has seen both textures and cannot tell the swapped image apart.
    expect(max(scoreGaussianPatches(global, swapped))).toBeLessThan(1.5 * max(scoreGaussianPatches(global, usual)));
  });

  it('scores identically after a JSON round trip of its serialised form', () => {
    const rng = createRng(9);
    const images = Array.from({ length: 6 }, () => grid(3, 2, 4, Array.from({ length: 6 }, () => [rng.normal(), rng.normal(), rng.normal() * 3, 1])));
    for (const kind of ['gaussian', 'padim'] as const) {
      const model = fitGaussianScorer(images, 'test', kind, { localComponents: 3 });
      const back = deserialiseScoreModel(JSON.parse(JSON.stringify(serialiseScoreModel(model))));
      expect(Array.from(scorePatches(back, images[0]))).toEqual(Array.from(scorePatches(model, images[0])));
    }
    const raw = serialiseScoreModel(fitGaussianScorer(images, 'test', 'padim')) as unknown as Record<string, unknown>;
    expect(() => deserialiseScoreModel({ ...raw, localMean: 'AAAA' })).toThrow(/localMean/);
  });
});

describe('choosing the scoring model by the self-check', () => {
  it('keeps the best image AUROC, and the simpler model when another is within 0.01 of it', () => {
    expect(chooseScoreModel([{ kind: 'gaussian', imageAuroc: 0.7 }, { kind: 'padim', imageAuroc: 0.9 }, { kind: 'simplenet', imageAuroc: 0.8 }]).kind).toBe('padim');
    const near = chooseScoreModel([{ kind: 'gaussian', imageAuroc: 0.895 }, { kind: 'padim', imageAuroc: 0.7 }, { kind: 'simplenet', imageAuroc: 0.9 }]);
    expect(near.kind).toBe('gaussian');
    expect(near.reason).toMatch(/within 0\.01/);
    expect(chooseScoreModel([{ kind: 'simplenet', imageAuroc: null }, { kind: 'padim', imageAuroc: 0.6 }]).kind).toBe('padim');
  });
});
