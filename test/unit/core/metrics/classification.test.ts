import { describe, expect, it } from 'vitest';
import {
  auroc,
  averagePrecision,
  classificationAccuracy,
  f1Max,
  imageAuroc,
} from '../../../../src-main/core/metrics/classification';

// The classic scikit-learn doc example: roc_auc_score = 0.75, average_precision_score = 0.8333.
const y = [0, 0, 1, 1];
const s = [0.1, 0.4, 0.35, 0.8];

describe('AUROC', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(auroc(s, y)).toBeCloseTo(0.75, 12);
  });

  it('gives tied positive-negative pairs half credit (Mann-Whitney)', () => {
    // positives {0.5, 0.9}, negatives {0.5, 0.5}: pairs won 2 (0.9) + 2 × ½ (ties) = 3 of 4.
    expect(auroc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.75, 12);
  });

  it('is exactly one half when every score is equal', () => {
    expect(auroc([2, 2, 2, 2, 2], [1, 0, 0, 1, 0])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for an inverted one', () => {
    expect(auroc([3, 4, 1, 2], [1, 1, 0, 0])).toBe(1);
    expect(auroc([3, 4, 1, 2], [0, 0, 1, 1])).toBe(0);
  });

  it('equals the pairwise count on a random sample with many ties', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const sc: number[] = [];
    const lb: number[] = [];
    for (let i = 0; i < 300; i++) {
      sc.push(Math.floor(rnd() * 10));
      lb.push(rnd() < 0.3 ? 1 : 0);
    }
    let won = 0;
    let pairs = 0;
    for (let i = 0; i < sc.length; i++) {
      if (!lb[i]) continue;
      for (let j = 0; j < sc.length; j++) {
        if (lb[j]) continue;
        pairs++;
        won += sc[i] > sc[j] ? 1 : sc[i] === sc[j] ? 0.5 : 0;
      }
    }
    expect(auroc(sc, lb)).toBeCloseTo(won / pairs, 12);
  });

  it('is NaN when only one class is present', () => {
    expect(auroc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(auroc([0.1, 0.2], [0, 0])).toBeNaN();
  });

  it('refuses empty, mismatched or NaN input', () => {
    expect(() => auroc([], [])).toThrow(RangeError);
    expect(() => auroc([1, 2], [1])).toThrow(/labels/);
    expect(() => auroc([1, NaN], [1, 0])).toThrow(/NaN/);
  });
});

describe('average precision', () => {
  it('matches the scikit-learn documentation example (0.8333)', () => {
    expect(averagePrecision(s, y)).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
  });

  it('steps over a tied threshold as one point', () => {
    // t=0.9: R=½, P=1 → ½; t=0.5: R=1, P=2/4 → +¼.
    expect(averagePrecision([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.75, 12);
  });

  it('equals the prevalence when every score is equal', () => {
    expect(averagePrecision([0.3, 0.3, 0.3], [1, 0, 0])).toBeCloseTo(1 / 3, 12);
  });

  it('is NaN without positives', () => {
    expect(averagePrecision([0.3, 0.1], [0, 0])).toBeNaN();
  });
});

describe('F1-max', () => {
  it('finds the best threshold of the documentation example', () => {
    // thresholds 0.8, 0.4, 0.35, 0.1 give F1 2/3, 1/2, 4/5, 2/3.
    const r = f1Max(s, y);
    expect(r.f1).toBeCloseTo(0.8, 12);
    expect(r.threshold).toBe(0.35);
  });

  it('uses 2·prevalence/(1+prevalence) when every score is equal', () => {
    // All predicted positive: P = 1/4, R = 1 → F1 = 2·¼/(1¼) = 0.4.
    expect(f1Max([1, 1, 1, 1], [0, 1, 0, 0]).f1).toBeCloseTo(0.4, 12);
  });

  it('is NaN without positives', () => {
    expect(f1Max([1, 2], [0, 0]).f1).toBeNaN();
  });
});

describe('image AUROC and accuracy', () => {
  it('ranks images by their score with boolean labels', () => {
    // anomalous {0.9, 0.3}, normal {0.2, 0.4}: pairs won 2 + 1 = 3 of 4.
    expect(imageAuroc([0.9, 0.2, 0.3, 0.4], [true, false, true, false])).toBeCloseTo(0.75, 12);
  });

  it('counts the fraction of correct class predictions', () => {
    expect(classificationAccuracy(['crack', 'hole', 'crack'], ['crack', 'crack', 'crack'])).toBeCloseTo(2 / 3, 12);
    expect(() => classificationAccuracy([], [])).toThrow(RangeError);
    expect(() => classificationAccuracy([1], [1, 2])).toThrow(RangeError);
  });
});
