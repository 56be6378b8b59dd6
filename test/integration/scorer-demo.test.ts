import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SCORER } from '../../src-main/cli/demo-stages';
import { imageAuroc } from '../../src-main/core/metrics';
import { fitGaussianScorer } from '../../src-main/core/score/gaussian';
import { chooseScoreModel, type ScoreModel } from '../../src-main/core/score/model';
import { createHandcraftedExtractor, type PatchGrid } from '../../src-main/core/score/patch-features';
import { scorePatches } from '../../src-main/core/score/scoring';
import { trainScorerOnGrids } from '../../src-main/core/score/train';
import { loadRaster } from '../../src-main/io/image-codec';
import { sharedDemoDataset } from '../fixtures/demo';

/**
 * The scorer with the app's default descriptor, fitted on the demo's normal training images only,
 * must rank the demo's real anomalies (none of which it saw) above its held-out normal test
 * images. The labels come from the dataset's folders, not from the scorer.
 */
interface DemoFeatures {
  train: PatchGrid[];
  normals: PatchGrid[];
  anomalies: Record<string, PatchGrid[]>;
}

const extractor = createHandcraftedExtractor();

async function demoFeatures(category: string): Promise<DemoFeatures> {
  const demo = await sharedDemoDataset();
  const root = join(demo.root, category);
  const pngs = (dir: string): string[] => readdirSync(join(root, dir)).filter((f) => f.endsWith('.png')).sort().map((f) => join(root, dir, f));
  const grids = async (files: string[]) => {
    const out: PatchGrid[] = [];
    for (const f of files) out.push(extractor.extract(await loadRaster(f, 1e8)));
    return out;
  };
  const types = readdirSync(join(root, 'test')).filter((d) => d !== 'good');
  const anomalies: Record<string, PatchGrid[]> = {};
  for (const t of types) anomalies[t] = await grids(pngs(`test/${t}`));
  return { train: await grids(pngs('train/good').slice(0, DEMO_SCORER.maxTrainImages)), normals: await grids(pngs('test/good')), anomalies };
}

function aurocs(f: DemoFeatures, model: ScoreModel): { all: number; byType: Record<string, number> } {
  const max = (g: PatchGrid) => Math.max(...scorePatches(model, g));
  const normals = f.normals.map(max);
  const auroc = (bad: number[]): number => imageAuroc([...normals, ...bad], [...normals.map(() => 0), ...bad.map(() => 1)]);
  const types = Object.keys(f.anomalies);
  const scores = Object.fromEntries(types.map((t) => [t, f.anomalies[t].map(max)]));
  return { all: auroc(types.flatMap((t) => scores[t])), byType: Object.fromEntries(types.map((t) => [t, auroc(scores[t])])) };
}

describe('the scorer on the demo dataset (default descriptor, demo settings)', () => {
  it('ranks the textured tile’s real defects above held-out normal images with image AUROC ≥ 0.9', async () => {
    const f = await demoFeatures('tile');
    // The global Gaussian alone (no choice among models involved): 0.97 here; SimpleNet at the
    // demo's settings reached 0.89-0.90 on this recipe, at the threshold.
    const r = aurocs(f, fitGaussianScorer(f.train, extractor.id, 'gaussian'));
    expect(r.all).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the nutbox’s structural contamination (AUROC ≥ 0.85) with the position-aware model, and the self-check picks a model that ranks its anomalies above chance', async () => {
    const f = await demoFeatures('nutbox');
    // The nutbox is an aligned object: what is normal on the rim is contamination in a
    // compartment. The per-location model finds it (0.95 here); the global one does not (0.78).
    const padim = aurocs(f, fitGaussianScorer(f.train, extractor.id, 'padim'));
    expect(padim.byType.contamination).toBeGreaterThanOrEqual(0.85);
    // The score job's choice among all candidates (SimpleNet at the demo's settings included).
    const simplenet = trainScorerOnGrids(f.train, extractor.id, { epochs: DEMO_SCORER.epochs, batchImages: DEMO_SCORER.batchImages, patchFraction: DEMO_SCORER.patchFraction, seed: 1 });
    const candidates = { gaussian: fitGaussianScorer(f.train, extractor.id, 'gaussian'), padim: fitGaussianScorer(f.train, extractor.id, 'padim'), simplenet };
    const checks = Object.entries(candidates).map(([kind, m]) => ({ kind: kind as keyof typeof candidates, imageAuroc: aurocs(f, m).all }));
    const chosen = chooseScoreModel(checks);
    // Thin low-contrast scratches on the tray rim and the logical "missing nuts" are the hard
    // cases for a hand-crafted local descriptor; the whole set stays clearly above chance.
    expect(checks.find((c) => c.kind === chosen.kind)!.imageAuroc).toBeGreaterThanOrEqual(0.75);
    // SimpleNet on the richer descriptor costs about three times the first one's training.
  }, 600_000);
});
