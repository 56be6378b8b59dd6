import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, amfc, homogeneity, leafLabels } from '../../src-main/core/cluster';
import { assembleFeatureMatrix } from '../../src-main/core/features';
import { defectFeatures } from '../bench/cluster-devdata';

/** `../shared/devdata` beside the repository (evaluation-only data, never copied into it). */
const DEVDATA = resolve(__dirname, '../../../shared/devdata');
const MACARONI = join(DEVDATA, 'macaroni1');

/**
 * Issue 15's AMFC target on real defects: pooled over a category's defect types (the folder names
 * as hidden truth), at most 10 clusters, homogeneity ≥ 0.7 at ARI ≥ 0.55, with the app's
 * defaults (equal block weights, K ≤ n / 4). Macaroni1 meets it; tire does not (README, "The
 * concepts it finds"), so tire has no test here.
 */
describe.skipIf(!existsSync(MACARONI))(
  existsSync(MACARONI) ? 'AMFC on the real macaroni1 defects' : `AMFC on the real macaroni1 defects: skipped, ${MACARONI} is absent on this machine`,
  () => {
    it.each([0, 1])('seed %i: ≤ 10 clusters, homogeneity ≥ 0.7, ARI ≥ 0.55', async (seed) => {
      const { features, truth } = await defectFeatures(MACARONI);
      expect(new Set(truth).size).toBe(6);
      const labels = leafLabels(amfc(assembleFeatureMatrix(features).matrix, { seed, minMeanClusterSize: 4 }), features.length);
      expect(new Set(labels).size).toBeLessThanOrEqual(10);
      expect(homogeneity(truth, labels)).toBeGreaterThanOrEqual(0.7);
      expect(adjustedRandIndex(truth, labels)).toBeGreaterThanOrEqual(0.55);
    });
  },
);
