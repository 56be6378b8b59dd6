import { describe, expect, it } from 'vitest';
import { auroc, averagePrecision, f1Max } from '../../../../src-main/core/metrics/classification';
import { argsortFloat32Descending } from '../../../../src-main/core/metrics/radix';

function sample(n: number, seed: number): { values: Float32Array; labels: Uint8Array } {
  let a = seed;
  const rnd = () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296);
  const values = new Float32Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Negative, positive, huge, tiny and heavily tied values.
    const u = rnd();
    values[i] = u < 0.3 ? Math.round((rnd() - 0.5) * 10) : u < 0.6 ? (rnd() - 0.5) * 1e6 : (rnd() - 0.5) * 1e-6;
    labels[i] = rnd() < 0.25 ? 1 : 0;
  }
  values[0] = -0;
  values[1] = 0;
  values[2] = -Infinity;
  values[3] = Infinity;
  return { values, labels };
}

describe('radix argsort of Float32 scores', () => {
  it('orders values from highest to lowest like a comparator sort', () => {
    const { values } = sample(5000, 9);
    const order = argsortFloat32Descending(values);
    const reference = Array.from(values).sort((x, y) => y - x);
    // −0 and +0 are one score; compare them as equal.
    expect(Array.from(order).map((i) => values[i] + 0)).toEqual(reference.map((v) => v + 0));
    expect(new Set(order).size).toBe(values.length);
  });

  it('gives the same AUROC, AP and F1-max as the merge path on plain arrays', () => {
    const { values, labels } = sample(4000, 21);
    const plain = Array.from(values);
    expect(auroc(values, labels)).toBe(auroc(plain, labels));
    expect(averagePrecision(values, labels)).toBe(averagePrecision(plain, labels));
    expect(f1Max(values, labels)).toEqual(f1Max(plain, labels));
  });
});
