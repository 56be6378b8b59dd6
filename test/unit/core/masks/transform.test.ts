import { describe, expect, it } from 'vitest';
import { similarityForward, similarityInverse, targetPolygon, type MaskTransform } from '../../../../src-main/core/masks/transform';

const t: MaskTransform = {
  sourceCentroid: [10, 10],
  sourcePolygon: [[12, 10]],
  vertexOffsets: [[0, 0]],
  rotation: Math.PI / 2,
  scale: 2,
  targetCentroid: [100, 50],
};

describe('mask transform', () => {
  it('rotates a quarter turn and doubles about the centroid (hand-worked)', () => {
    // (12,10) is 2 px right of the centroid; a quarter turn (y down) puts it 2 px below, ×2 = 4 px.
    const [x, y] = similarityForward(t, [12, 10]);
    expect(x).toBeCloseTo(100, 10);
    expect(y).toBeCloseTo(54, 10);
    expect(targetPolygon(t)[0][1]).toBeCloseTo(54, 10);
  });
  it('inverts exactly', () => {
    const q = similarityForward(t, [3.5, -7.25]);
    const p = similarityInverse(t, q);
    expect(p[0]).toBeCloseTo(3.5, 10);
    expect(p[1]).toBeCloseTo(-7.25, 10);
  });
});
