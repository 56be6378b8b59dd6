import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchScoreDevdata, DEVDATA_DIR } from '../bench/score-devdata';

/**
 * Issue 15's scorer target on real photographs: self-check image AUROC ≥ 0.85 per devdata
 * category. Only commutator meets it (tire and macaroni1 fall short; README "The scorer on real
 * photographs" and `npm run bench -- score --devdata ''` give their figures), so only it is held
 * here. The candidates are the default's closed-form ones (the Gaussian and PaDiM, each raw and
 * calibrated per location); SimpleNet, which the default also tries, is left out for time and was
 * never the one kept on commutator.
 */
const present = existsSync(join(DEVDATA_DIR, 'commutator', 'train', 'good'));

describe.skipIf(!present)(
  present ? 'the scorer on devdata commutator (real photographs, real masks)' : `the scorer on devdata commutator: skipped, ${DEVDATA_DIR} is absent on this machine`,
  () => {
    it('ranks the real cracks above the held-out normal images with image AUROC ≥ 0.85, using the model the self-check rule keeps', async () => {
      const out = (await benchScoreDevdata({
        root: DEVDATA_DIR,
        categories: ['commutator'],
        models: ['gaussian', 'padim'],
        simplenet: { epochs: 0, batchImages: 4, patchFraction: 0.1 },
        maxTrainImages: 64,
        descriptor: 'v2',
      })) as { results: { testImages: { normal: number; anomalous: number }; models: Record<string, { imageAuroc: number; pixelAuroc: number }>; chosen: { kind: string; calibrated: boolean } }[] };
      const [r] = out.results;
      // Every test image of the category: 42 normal, 50 cracked.
      expect(r.testImages).toEqual({ normal: 42, anomalous: 50 });
      const kept = r.models[r.chosen.calibrated ? `${r.chosen.kind}-calibrated` : r.chosen.kind];
      expect(kept.imageAuroc).toBeGreaterThanOrEqual(0.85);
      // The heat map finds the cracks' pixels too (bench, 40 training images: 0.905-0.92).
      expect(kept.pixelAuroc).toBeGreaterThanOrEqual(0.85);
    });
  },
);
