import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SCORER } from '../../src-main/cli/demo-stages';
import { imageAuroc } from '../../src-main/core/metrics';
import { createHandcraftedExtractor, type PatchGrid } from '../../src-main/core/score/patch-features';
import { scorePatches } from '../../src-main/core/score/scoring';
import { trainScorerOnGrids } from '../../src-main/core/score/train';
import { loadRaster } from '../../src-main/io/image-codec';
import { sharedDemoDataset } from '../fixtures/demo';

/**
 * The scorer with the demo's own settings, trained on the demo's normal training images only,
 * must rank the demo's real anomalies (none of which it saw) above its held-out normal test
 * images. The labels come from the dataset's folders, not from the scorer.
 */
async function demoAuroc(category: string): Promise<{ all: number; byType: Record<string, number> }> {
  const demo = await sharedDemoDataset();
  const root = join(demo.root, category);
  const pngs = (dir: string): string[] => readdirSync(join(root, dir)).filter((f) => f.endsWith('.png')).sort().map((f) => join(root, dir, f));
  const extractor = createHandcraftedExtractor();
  const grids: PatchGrid[] = [];
  for (const file of pngs('train/good').slice(0, DEMO_SCORER.maxTrainImages)) grids.push(extractor.extract(await loadRaster(file, 1e8)));
  const model = trainScorerOnGrids(grids, extractor.id, {
    epochs: DEMO_SCORER.epochs,
    batchImages: DEMO_SCORER.batchImages,
    patchFraction: DEMO_SCORER.patchFraction,
    seed: 1,
  });
  const scoresOf = async (dir: string): Promise<number[]> => {
    const out: number[] = [];
    for (const file of pngs(dir)) out.push(Math.max(...scorePatches(model, extractor.extract(await loadRaster(file, 1e8)))));
    return out;
  };
  const normals = await scoresOf('test/good');
  const types = readdirSync(join(root, 'test')).filter((d) => d !== 'good');
  const anomalies: Record<string, number[]> = {};
  for (const t of types) anomalies[t] = await scoresOf(`test/${t}`);
  const auroc = (bad: number[]): number => imageAuroc([...normals, ...bad], [...normals.map(() => 0), ...bad.map(() => 1)]);
  return {
    all: auroc(types.flatMap((t) => anomalies[t])),
    byType: Object.fromEntries(types.map((t) => [t, auroc(anomalies[t])])),
  };
}

describe('the scorer on the demo dataset (demo settings)', () => {
  it('ranks the textured tile’s real defects above held-out normal images with image AUROC ≥ 0.9', async () => {
    const r = await demoAuroc('tile');
    expect(r.all).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the nutbox’s structural contamination (AUROC ≥ 0.85) and ranks its anomalies as a whole above chance', async () => {
    const r = await demoAuroc('nutbox');
    // With 10 normal test images one high-scoring normal moves this AUROC by up to 0.1: over ten
    // draws of the dataset (five seeds under each of two seed derivations) it ranged 0.82-0.99,
    // median 0.93; the recipe's own draw gives 0.87.
    expect(r.byType.contamination).toBeGreaterThanOrEqual(0.85);
    // Thin low-contrast scratches on the tray rim are the hard case for a hand-crafted local
    // descriptor (about 0.6-0.75 across seeds); the whole set stays clearly above chance.
    expect(r.all).toBeGreaterThanOrEqual(0.75);
  });
});
