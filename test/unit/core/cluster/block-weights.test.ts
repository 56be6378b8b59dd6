import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { amfc, leafLabels } from '../../../../src-main/core/cluster/amfc';
import { chooseBlockWeights, MIN_SAMPLES_FOR_CHOICE, weightCandidates } from '../../../../src-main/core/cluster/block-weights';
import { assembleFeatureMatrix } from '../../../../src-main/core/features/assemble';
import type { AnomalyFeatures } from '../../../../src-main/core/features/types';
import { createRng } from '../../../../src-main/core/random';

/**
 * n samples in three groups told apart by one block only (`signal`); the other two blocks are
 * independent noise of more dimensions, as absolute colour was on devdata macaroni1.
 */
function samples(n: number, signal: 'colour' | 'texture' | 'shape', seed: number): { features: AnomalyFeatures[]; truth: number[] } {
  const rng = createRng(seed);
  const truth = Array.from({ length: n }, (_, i) => i % 3);
  const noise = (dim: number) => Float64Array.from({ length: dim }, () => rng.normal());
  const features = truth.map((g) => {
    const f: AnomalyFeatures = { colour: noise(6), texture: noise(6), shape: noise(6) };
    f[signal] = Float64Array.from([g * 4 + 0.3 * rng.normal(), (g === 1 ? 4 : 0) + 0.3 * rng.normal(), ...noise(4)]);
    return f;
  });
  return { features, truth };
}

describe('block weights chosen by cluster stability', () => {
  it('tries the 19 weightings of {0.5, 1, 2}³ that differ by more than scale, equal weights first', () => {
    const c = weightCandidates();
    expect(c).toHaveLength(19);
    expect(c[0]).toEqual({ colour: 1, texture: 1, shape: 1 });
    const ratio = (w: (typeof c)[number]) => `${w.texture / w.colour}:${w.shape / w.colour}`;
    expect(new Set(c.map(ratio)).size).toBe(19);
  });

  for (const signal of ['colour', 'shape'] as const) {
    it(`weights up the block that carries the groups (${signal}) and recovers them`, () => {
      const { features, truth } = samples(60, signal, signal === 'colour' ? 3 : 4);
      const choice = chooseBlockWeights(features, { seed: 0, amfc: { minMeanClusterSize: 4 } });
      const others = (['colour', 'texture', 'shape'] as const).filter((b) => b !== signal);
      for (const b of others) expect(choice.weights[signal]).toBeGreaterThan(choice.weights[b]);
      const labels = leafLabels(amfc(assembleFeatureMatrix(features, choice.weights).matrix, { seed: 0, minMeanClusterSize: 4 }), features.length);
      expect(adjustedRandIndex(truth, labels)).toBeGreaterThan(0.9);
      // Equal weights let the noise in: the choice is what recovers the groups.
      const equal = leafLabels(amfc(assembleFeatureMatrix(features).matrix, { seed: 0, minMeanClusterSize: 4 }), features.length);
      expect(adjustedRandIndex(truth, equal)).toBeLessThan(adjustedRandIndex(truth, labels));
      expect(choice.candidates).toHaveLength(19);
      expect(choice.stability).toBe(Math.max(...choice.candidates.map((c) => c.stability)));
    });
  }

  it('keeps equal weights and tries nothing below the minimum sample count', () => {
    const { features } = samples(MIN_SAMPLES_FOR_CHOICE - 1, 'colour', 5);
    const choice = chooseBlockWeights(features, { seed: 0, amfc: {} });
    expect(choice.weights).toEqual({ colour: 1, texture: 1, shape: 1 });
    expect(choice.candidates).toEqual([]);
  });

  it('gives the same choice for the same seed', () => {
    const { features } = samples(30, 'texture', 6);
    const a = chooseBlockWeights(features, { seed: 7, amfc: { minMeanClusterSize: 4 } });
    const b = chooseBlockWeights(features, { seed: 7, amfc: { minMeanClusterSize: 4 } });
    expect(b).toEqual(a);
  });
});
