import { describe, expect, it } from 'vitest';
import { matchConcepts } from '../../../src-main/engine/concepts/handlers';

const clusters = [
  { id: 4, name: 'crack-1' },
  { id: 11, name: 'crack-2' },
  { id: 12, name: 'hole' },
];

describe('matching a concept pack to the category’s clusters', () => {
  it('accepts a pack covering some clusters and lists the others as without concept', () => {
    expect(matchConcepts(['11', '4'], clusters)).toEqual({ unknown: [], duplicates: [], withoutConcept: [{ id: 12, name: 'hole' }] });
  });

  it('names ids the category does not have, compared as the decimal id exactly', () => {
    // '04' and ' 4' are not cluster 4: the bundle hands out ids as plain decimal strings.
    expect(matchConcepts(['4', '04', ' 4', 'crack-2'], clusters).unknown).toEqual(['04', ' 4', 'crack-2']);
  });

  it('names an id given twice once', () => {
    expect(matchConcepts(['4', '11', '4', '4'], clusters).duplicates).toEqual(['4']);
  });

  it('with no clusters in the pack, every cluster is without concept', () => {
    expect(matchConcepts([], clusters).withoutConcept.map((c) => c.id)).toEqual([4, 11, 12]);
  });
});
