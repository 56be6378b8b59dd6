import { describe, expect, it } from 'vitest';
import { predictForest, trainForest } from '../../../../src-main/core/regions/forest';
import { createRng } from '../../../../src-main/core/random';

function argmax(p: Float32Array, i: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
  return best;
}

function toySet(n: number, seed: number, label: (x: number, y: number) => number): { x: Float32Array; y: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 - 1;
    const b = rng.next() * 2 - 1;
    x[i * 2] = a;
    x[i * 2 + 1] = b;
    y[i] = label(a, b);
  }
  return { x, y };
}

describe('random forest', () => {
  // A margin of 0.1 around the line x + 2y = 0.2 keeps the two classes linearly separable.
  const separable = (a: number, b: number) => (a + 2 * b > 0.2 ? 1 : 0);
  const withMargin = (set: { x: Float32Array; y: Uint8Array }, margin: number) => {
    const keep: number[] = [];
    for (let i = 0; i < set.y.length; i++) if (Math.abs(set.x[i * 2] + 2 * set.x[i * 2 + 1] - 0.2) > margin * Math.sqrt(5)) keep.push(i);
    return { x: Float32Array.from(keep.flatMap((i) => [set.x[i * 2], set.x[i * 2 + 1]])), y: Uint8Array.from(keep.map((i) => set.y[i])) };
  };

  it('classifies a linearly separable 2-D set perfectly, on its training points and on new ones', () => {
    // Training points at least 0.1 from the line; new points at least 0.2, since axis-parallel
    // splits approximate a slanted boundary by a staircase between the training points.
    const train = withMargin(toySet(600, 1, separable), 0.1);
    const test = withMargin(toySet(400, 2, separable), 0.2);
    const forest = trainForest(train.x, train.y, 2, 7, { trees: 24, maxDepth: 12 });
    for (const set of [train, test]) {
      const p = predictForest(forest, set.x);
      let wrong = 0;
      for (let i = 0; i < set.y.length; i++) if (argmax(p, i, 2) !== set.y[i]) wrong++;
      expect(wrong).toBe(0);
    }
  });

  it('learns XOR, which no single split can', () => {
    const xor = (a: number, b: number) => ((a > 0) !== (b > 0) ? 1 : 0);
    const train = toySet(800, 3, xor);
    const test = toySet(1000, 4, xor);
    const forest = trainForest(train.x, train.y, 2, 11);
    const p = predictForest(forest, test.x);
    let right = 0;
    for (let i = 0; i < test.y.length; i++) if (argmax(p, i, 2) === test.y[i]) right++;
    expect(right / test.y.length).toBeGreaterThanOrEqual(0.95);
  });

  it('gives class probabilities that sum to one', () => {
    const set = toySet(300, 5, (a, b) => (a > 0.3 ? 2 : b > 0 ? 1 : 0));
    const forest = trainForest(set.x, set.y, 3, 1, { trees: 8 });
    const p = predictForest(forest, set.x);
    for (let i = 0; i < set.y.length; i++) expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 5);
  });

  it('grows the same forest from the same seed and a different one from another', () => {
    const set = toySet(300, 6, separable);
    const a = predictForest(trainForest(set.x, set.y, 2, 42, { trees: 6 }), set.x);
    const b = predictForest(trainForest(set.x, set.y, 2, 42, { trees: 6 }), set.x);
    const c = trainForest(set.x, set.y, 2, 43, { trees: 6 });
    expect(Array.from(b)).toEqual(Array.from(a));
    const first = trainForest(set.x, set.y, 2, 42, { trees: 6 }).trees[0];
    expect(Array.from(c.trees[0].threshold)).not.toEqual(Array.from(first.threshold));
  });
});
