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

const features = new Map<string, Promise<DemoFeatures>>();
/** Each category's patch features once for the tests that share them. */
function cachedFeatures(category: string): Promise<DemoFeatures> {
  if (!features.has(category)) features.set(category, demoFeatures(category));
  return features.get(category)!;
}

describe('the scorer on the demo dataset (default descriptor, demo settings)', () => {
  it('ranks the textured tile’s real defects above held-out normal images with image AUROC ≥ 0.9', async () => {
    const f = await cachedFeatures('tile');
    // The global Gaussian alone (no choice among models involved): 0.97 here, as SimpleNet on this
    // descriptor at the demo's settings (0.97); SimpleNet on the first descriptor reached 0.89-0.90.
    const r = aurocs(f, fitGaussianScorer(f.train, extractor.id, 'gaussian'));
    expect(r.all).toBeGreaterThanOrEqual(0.9);
  }, 480_000);

  it('finds the nutbox’s structural contamination (AUROC ≥ 0.85) with the position-aware model, which beats one global model there', async () => {
    const f = await cachedFeatures('nutbox');
    // The nutbox is an aligned object: what is normal on the rim is contamination in a
    // compartment. The per-location model finds it (0.95 here; the global one 0.78), and ranks the
    // anomalies as a whole better (0.60 against 0.48).
    const padim = aurocs(f, fitGaussianScorer(f.train, extractor.id, 'padim'));
    const global = aurocs(f, fitGaussianScorer(f.train, extractor.id, 'gaussian'));
    expect(padim.byType.contamination).toBeGreaterThanOrEqual(0.85);
    expect(padim.all).toBeGreaterThan(global.all);
  }, 480_000);

  it('keeps, by the self-check, a nutbox model that ranks its anomalies as a whole clearly above chance', async () => {
    const f = await cachedFeatures('nutbox');
    // The score job's choice among all candidates (SimpleNet at the demo's settings included: 0.81
    // here, where it finds the missing nuts the local Gaussians cannot).
    const simplenet = trainScorerOnGrids(f.train, extractor.id, { epochs: DEMO_SCORER.epochs, batchImages: DEMO_SCORER.batchImages, patchFraction: DEMO_SCORER.patchFraction, seed: 1 });
    const candidates = { gaussian: fitGaussianScorer(f.train, extractor.id, 'gaussian'), padim: fitGaussianScorer(f.train, extractor.id, 'padim'), simplenet };
    const checks = Object.entries(candidates).map(([kind, m]) => ({ kind: kind as keyof typeof candidates, imageAuroc: aurocs(f, m).all }));
    const chosen = chooseScoreModel(checks);
    // Thin low-contrast scratches on the tray rim are the hard case for a hand-crafted local
    // descriptor; the whole set stays clearly above chance.
    expect(checks.find((c) => c.kind === chosen.kind)!.imageAuroc).toBeGreaterThanOrEqual(0.75);
    // SimpleNet on the richer descriptor costs about three times the first one's training.
  }, 600_000);
});
