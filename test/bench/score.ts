import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Mask, Raster } from '../../src-main/core/image/raster';
import { imageAuroc } from '../../src-main/core/metrics';
import { anomalyRegionScore, createHandcraftedExtractor, maxScore, scoreMapFromGrid, trainScorerOnGrids } from '../../src-main/core/score';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../src-main/io/image-codec';
import { trainScorerInWorker } from '../../src-main/engine/workers/scorer-thread';
import { DEMO_SCORER } from '../../src-main/cli/demo-stages';
import { sharedDemoDataset } from '../fixtures/demo';
import type { ScoreModelKind } from '../../src-main/core/score';
import { benchScoreDevdata, DEVDATA_DIR } from './score-devdata';

const round = (x: number) => Math.round(x * 1000) / 1000;
const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => join(dir, f));

/**
 * The ARS scorer on the demo dataset with the built-in hand-crafted extractor, per category:
 * feature extraction per image, training seconds per epoch and in all (in-thread, and on the
 * score job's worker thread, start-up included), and scoring images/s (features + score map +
 * ARS) over the test split, with the image AUROC of the max score as a sanity check.
 * Defaults are the demo's scorer settings (DEMO_SCORER): `npm run bench -- score [--epochs 30]
 * [--images 40] [--batch-images 1] [--patch-fraction 0.25] [--category tile]`. With `--devdata ''`
 * (or `--devdata DIR`) it measures every normal model on the real development photographs
 * instead (see score-devdata.ts; `--models gaussian,padim,simplenet --descriptor v2|v1`). One more epoch at
 * the paper's settings (batch 4, every patch) gives the cost of the app's default 160 epochs.
 */
export async function benchScore(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string', default: String(DEMO_SCORER.epochs) },
      images: { type: 'string', default: String(DEMO_SCORER.maxTrainImages) },
      'batch-images': { type: 'string', default: String(DEMO_SCORER.batchImages) },
      'patch-fraction': { type: 'string', default: String(DEMO_SCORER.patchFraction) },
      category: { type: 'string' },
      devdata: { type: 'string' },
      models: { type: 'string', default: 'gaussian,padim,simplenet' },
      descriptor: { type: 'string', default: 'v2' },
    },
    allowPositionals: true,
  });
  if (values.devdata !== undefined) {
    // `--devdata [DIR]` (empty = ../shared/devdata): the real photographs instead of the demo.
    return benchScoreDevdata({
      root: values.devdata === '' ? DEVDATA_DIR : values.devdata,
      categories: values.category ? values.category.split(',') : null,
      models: values.models.split(',') as ScoreModelKind[],
      simplenet: { epochs: Number(values.epochs), batchImages: Number(values['batch-images']), patchFraction: Number(values['patch-fraction']) },
      maxTrainImages: Number(values.images),
      descriptor: values.descriptor === 'v1' ? 'v1' : 'v2',
    });
  }
  const epochs = Number(values.epochs);
  const maxImages = Number(values.images);
  const batchImages = Number(values['batch-images']);
  const patchFraction = Number(values['patch-fraction']);
  if (!(epochs >= 1) || !(maxImages >= 1) || !(batchImages >= 1)) throw new Error('score bench: --epochs, --images and --batch-images must be ≥ 1');
  if (!(patchFraction > 0 && patchFraction <= 1)) throw new Error('score bench: --patch-fraction must be in (0, 1]');
  const demo = await sharedDemoDataset();
  const root = demo.root;
  const categories = values.category ? [values.category] : demo.categories.map((c) => c.name);
  const extractor = createHandcraftedExtractor();
  const out = [];
  for (const category of categories) {
    const dir = join(root, category);
    const trainFiles = pngs(join(dir, 'train/good')).slice(0, maxImages);
    const train: Raster[] = [];
    for (const f of trainFiles) train.push(await loadRaster(f, MAX_INPUT_PIXELS));

    let t = performance.now();
    const grids = train.map((r) => extractor.extract(r));
    const featureMs = performance.now() - t;

    const settings = { epochs, batchImages, patchFraction, seed: 0 };
    t = performance.now();
    const model = trainScorerOnGrids(grids, extractor.id, settings);
    const trainMs = performance.now() - t;
    t = performance.now();
    trainScorerOnGrids(grids, extractor.id, { epochs: 1, batchImages: 4, patchFraction: 1, seed: 0 });
    const paperEpochMs = performance.now() - t;
    t = performance.now();
    const inWorker = await trainScorerInWorker(grids, extractor.id, settings);
    const workerMs = performance.now() - t;

    // Test split: good images (label 0) and every defect type with its ground-truth mask.
    const tests: { image: string; mask: string | null }[] = [];
    for (const type of readdirSync(join(dir, 'test')).sort()) {
      for (const f of pngs(join(dir, 'test', type))) {
        const name = f.slice(f.lastIndexOf('/') + 1, -4);
        tests.push({ image: f, mask: type === 'good' ? null : join(dir, 'ground_truth', type, `${name}_mask.png`) });
      }
    }
    const loaded: { raster: Raster; mask: Mask | null }[] = [];
    for (const x of tests) loaded.push({ raster: await loadRaster(x.image, MAX_INPUT_PIXELS), mask: x.mask ? await loadMask(x.mask) : null });
    const scores: number[] = [];
    const labels: number[] = [];
    let arsSum = 0;
    t = performance.now();
    for (const { raster, mask } of loaded) {
      const map = scoreMapFromGrid(model, extractor.extract(raster), raster.width, raster.height);
      scores.push(maxScore(map));
      labels.push(mask ? 1 : 0);
      if (mask) arsSum += anomalyRegionScore(map, mask);
    }
    const scoreMs = performance.now() - t;
    const sides = [...new Set(train.map((r) => `${r.width}x${r.height}`))];
    out.push({
      category,
      extractor: extractor.id,
      featureDim: extractor.dim,
      trainImages: train.length,
      trainImageSizes: sides,
      featureMsPerImage: round(featureMs / train.length),
      settings: { epochs, batchImages, patchFraction },
      trainSecondsPerEpoch: round(trainMs / 1000 / epochs),
      trainSeconds: round(trainMs / 1000),
      // The app's default is the paper's 160 epochs × batch 4 × every patch; time is linear in epochs.
      paperSettingsSecondsPerEpoch: round(paperEpochMs / 1000),
      paperSettingsSecondsAt160Epochs: round((paperEpochMs / 1000) * 160),
      workerTrainSeconds: round(workerMs / 1000),
      workerLossHistoryIdentical: JSON.stringify(inWorker.lossHistory) === JSON.stringify(model.lossHistory),
      scoredImages: loaded.length,
      scoredImagesPerSecond: round(loaded.length / (scoreMs / 1000)),
      testImageAuroc: round(imageAuroc(scores, labels)),
      meanArsOfRealAnomalies: round(arsSum / Math.max(1, labels.filter((l) => l === 1).length)),
    });
  }
  return { results: out, peakRssMiB: round(process.resourceUsage().maxRSS / 1024) };
}
