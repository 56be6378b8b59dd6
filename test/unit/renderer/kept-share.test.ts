import { describe, expect, it } from 'vitest';
import { blendBias, keptShares } from '../../../src-renderer/src/review/keptShare';

type S = { kept: boolean; decision: 'accepted' | 'rejected' | null; cluster: string; blendMode: string };
const pairs = (n: number, kept: number, cluster: string, blendMode: string): S[] =>
  Array.from({ length: n }, (_, i) => ({ kept: i < kept, decision: null, cluster, blendMode }));

describe('the kept share on Review', () => {
  it('counts, per blend mode, the pairs a kept export holds: all 33 opaque, 69 of 168 blended', () => {
    const items = [...pairs(33, 33, 'a', 'opaque'), ...pairs(168, 69, 'a', 'mixed')];
    const rows = keptShares(items, 'blendMode');
    expect(rows).toEqual([
      { key: 'mixed', pairs: 168, kept: 69, share: 69 / 168 },
      { key: 'opaque', pairs: 33, kept: 33, share: 1 },
    ]);
    expect(blendBias(rows)).toBe('The filter favours opaque pastes: 100 % of them are kept but 41 % of mixed ones. Review the dropped mixed pairs.');
  });

  it('lets the user’s accept and reject win over the filter, and stays quiet without a bias', () => {
    const items: S[] = [
      { kept: false, decision: 'accepted', cluster: 'x', blendMode: 'mixed' },
      { kept: true, decision: 'rejected', cluster: 'x', blendMode: 'mixed' },
      { kept: true, decision: null, cluster: 'y', blendMode: 'mixed' },
    ];
    expect(keptShares(items, 'cluster')).toEqual([
      { key: 'x', pairs: 2, kept: 1, share: 0.5 },
      { key: 'y', pairs: 1, kept: 1, share: 1 },
    ]);
    expect(blendBias(keptShares([...pairs(10, 5, 'a', 'opaque'), ...pairs(10, 4, 'a', 'mixed')], 'blendMode'))).toBeNull();
  });
});
