import { describe, expect, it } from 'vitest';
import { chooseFewShot, fewShotCount } from '../../../../src-main/core/dataset/few-shot-split';

const candidates = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, key: `test/crack/${String(i).padStart(3, '0')}.png` }));

describe('the few-shot split', () => {
  it('takes one third, and at least one', () => {
    expect([1, 2, 3, 4, 5, 6, 9, 10, 90].map(fewShotCount)).toEqual([1, 1, 1, 1, 2, 2, 3, 3, 30]);
    expect(fewShotCount(0)).toBe(0);
  });
  it('is the same for the same seed whatever the input order', () => {
    const a = chooseFewShot(candidates(30), 7, 'crack');
    const b = chooseFewShot(candidates(30).reverse(), 7, 'crack');
    expect([...a].sort()).toEqual([...b].sort());
    expect(a.size).toBe(10);
  });
  it('changes with the seed and with the defect type', () => {
    const base = [...chooseFewShot(candidates(30), 7, 'crack')].sort().join();
    expect([...chooseFewShot(candidates(30), 8, 'crack')].sort().join()).not.toBe(base);
    expect([...chooseFewShot(candidates(30), 7, 'hole')].sort().join()).not.toBe(base);
  });
});
