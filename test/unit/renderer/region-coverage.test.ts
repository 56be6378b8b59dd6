import { describe, expect, it } from 'vitest';
import { partlyLabelledRegions } from '../../../src-renderer/src/regions/coverage';

const region = (id: number, name: string) => ({ id, name, colour: '#E69F00' });
const labelled = (imageId: number, regions: string[]) => ({ imageId, relPath: `nutbox/train/good/${imageId}.png`, regions });

describe('regions labelled on only some of the labelled images (issue 12, item 13)', () => {
  it('names each such region, how many labelled images have it and which do not', () => {
    const state = {
      regions: [region(1, 'nuts'), region(2, 'box'), region(3, 'label')],
      labelled: [labelled(10, ['box', 'nuts']), labelled(11, ['box']), labelled(12, ['box', 'nuts']), labelled(13, ['box'])],
    };
    expect(partlyLabelledRegions(state)).toEqual([
      { region: 'nuts', labelledOn: 2, of: 4, missingOn: ['nutbox/train/good/11.png', 'nutbox/train/good/13.png'] },
    ]);
  });

  it('says nothing when every labelled image has every region, or a region is not drawn yet', () => {
    expect(partlyLabelledRegions({ regions: [region(1, 'box')], labelled: [labelled(1, ['box']), labelled(2, ['box'])] })).toEqual([]);
    expect(partlyLabelledRegions({ regions: [region(1, 'box'), region(2, 'nuts')], labelled: [labelled(1, ['box'])] })).toEqual([]);
    expect(partlyLabelledRegions({ regions: [region(1, 'box')], labelled: [] })).toEqual([]);
  });
});
