import { describe, expect, it } from 'vitest';
import { amfc, leafLabels } from '../../../../src-main/core/cluster/amfc';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { assembleFeatureMatrix } from '../../../../src-main/core/features/assemble';
import { computeFeatures } from '../../../../src-main/core/features/compute';
import { SYNTHETIC_KINDS, syntheticAnomalies } from './synthetic-anomalies';

describe('AMFC on synthetic anomalies', () => {
  it('separates thin dark lines, soft light blobs and small dark pits (ARI ≥ 0.8)', () => {
    const anomalies = syntheticAnomalies(30, 128, 2024);
    const features = anomalies.map((a) => computeFeatures(a.image, a.mask));
    const { matrix } = assembleFeatureMatrix(features, {});
    const labels = leafLabels(amfc(matrix, { seed: 1 }), anomalies.length);
    const truth = anomalies.map((a) => SYNTHETIC_KINDS.indexOf(a.kind));
    expect(adjustedRandIndex(truth, labels)).toBeGreaterThanOrEqual(0.8);
  });
});
