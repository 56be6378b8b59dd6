import { describe, expect, it } from 'vitest';
import { amfc, leafLabels } from '../../../../src-main/core/cluster/amfc';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { chooseBlockWeights } from '../../../../src-main/core/cluster/block-weights';
import { assembleFeatureMatrix } from '../../../../src-main/core/features/assemble';
import { computeFeatures } from '../../../../src-main/core/features/compute';
import { SYNTHETIC_KINDS, syntheticAnomalies } from './synthetic-anomalies';

describe('AMFC on synthetic anomalies', () => {
  it('separates thin dark lines, soft light blobs and small dark pits (ARI ≥ 0.8) with the weights stability picks', () => {
    const anomalies = syntheticAnomalies(30, 128, 2024);
    const features = anomalies.map((a) => computeFeatures(a.image, a.mask));
    // The app's defaults: K ≤ n / 4 per split (contract: minMeanClusterSize 4).
    const { weights } = chooseBlockWeights(features, { seed: 1, amfc: { minMeanClusterSize: 4 } });
    const { matrix } = assembleFeatureMatrix(features, weights);
    const labels = leafLabels(amfc(matrix, { seed: 1, minMeanClusterSize: 4 }), anomalies.length);
    const truth = anomalies.map((a) => SYNTHETIC_KINDS.indexOf(a.kind));
    expect(adjustedRandIndex(truth, labels)).toBeGreaterThanOrEqual(0.8);
  });
});
