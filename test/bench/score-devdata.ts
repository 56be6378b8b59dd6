import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Mask } from '../../src-main/core/image/raster';
import { imageAuroc, pixelAuroc } from '../../src-main/core/metrics';
import {
  chooseScoreModel,
  createHandcraftedExtractor,
  fitGaussianScorer,
  HANDCRAFTED_V1,
  scorePatches,
  trainScorerOnGrids,
  upsampleBilinear,
  withLocationCalibration,
  type PatchGrid,
  type ScoreModel,
  type ScoreModelKind,
} from '../../src-main/core/score';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../src-main/io/image-codec';

/** Where the evaluation-only development photographs live (never copied into the repo). */
export const DEVDATA_DIR = resolve(__dirname, '../../../shared/devdata');

const round = (x: number) => Math.round(x * 1000) / 1000;
const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => join(dir, f));

export interface DevdataScoreOptions {
  root: string;
  categories: string[] | null;
  models: ScoreModelKind[];
  /** SimpleNet's settings; the same defaults the app's score.run has. */
  simplenet: { epochs: number; batchImages: number; patchFraction: number };
  maxTrainImages: number;
  /** 'v1' = the first descriptor (main before issue 15), 'v2' = the default. */
  descriptor: 'v1' | 'v2';
}

/**
 * The scorer on each devdata category (real photographs, real masks): feature ms per image, fit
 * seconds per model, image AUROC of the map's maximum on every test image (good vs each defect
 * type), pixel AUROC of the score maps against the real masks, and the model the self-check
 * rule would choose. Train images: at most `maxTrainImages` of train/good, evenly spaced.
 */
export async function benchScoreDevdata(o: DevdataScoreOptions): Promise<unknown> {
  if (!existsSync(o.root)) return { skipped: `no devdata folder at ${o.root}` };
  const extractor = createHandcraftedExtractor(o.descriptor === 'v1' ? HANDCRAFTED_V1 : {});
  const categories = o.categories ?? readdirSync(o.root).filter((d) => existsSync(join(o.root, d, 'train/good'))).sort();
  const out = [];
  for (const category of categories) {
    const dir = join(o.root, category);
    let trainFiles = pngs(join(dir, 'train/good'));
    if (trainFiles.length > o.maxTrainImages) trainFiles = Array.from({ length: o.maxTrainImages }, (_, i) => trainFiles[Math.floor((i * trainFiles.length) / o.maxTrainImages)]);
    let featureMs = 0;
    const grid = async (f: string) => {
      const r = await loadRaster(f, MAX_INPUT_PIXELS);
      const t = performance.now();
      const g = extractor.extract(r);
      featureMs += performance.now() - t;
      return { g, width: r.width, height: r.height };
    };
    const train: PatchGrid[] = [];
    for (const f of trainFiles) train.push((await grid(f)).g);
    const featureMsPerImage = featureMs / train.length;
    const tests: { g: PatchGrid; width: number; height: number; type: string; mask: Mask | null }[] = [];
    for (const type of readdirSync(join(dir, 'test')).sort()) {
      for (const f of pngs(join(dir, 'test', type))) {
        const stem = f.slice(f.lastIndexOf('/') + 1, -4);
        tests.push({ ...(await grid(f)), type, mask: type === 'good' ? null : await loadMask(join(dir, 'ground_truth', type, `${stem}_mask.png`)) });
      }
    }
    const labels = tests.map((t) => (t.mask ? 1 : 0));
    const types = [...new Set(tests.filter((t) => t.mask).map((t) => t.type))];
    const models: Record<string, unknown> = {};
    const checks: { kind: ScoreModelKind; calibrated: boolean; imageAuroc: number; patchAuroc: number }[] = [];
    // Each Gaussian kind also with its per-location calibration, as the score job's `auto` tries it.
    const variants = o.models.flatMap((kind): { kind: ScoreModelKind; calibrated: boolean }[] => (kind === 'simplenet' ? [{ kind, calibrated: false }] : [{ kind, calibrated: false }, { kind, calibrated: true }]));
    for (const { kind, calibrated } of variants) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const model: ScoreModel =
        kind === 'simplenet'
          ? trainScorerOnGrids(train, extractor.id, { ...o.simplenet, seed: 0 })
          : calibrated
            ? withLocationCalibration(fitGaussianScorer(train, extractor.id, kind), train)
            : fitGaussianScorer(train, extractor.id, kind);
      const fitSeconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      // CPU seconds as well: on a shared machine the wall clock says more about the neighbours.
      const fitCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const t1 = performance.now();
      const maps = tests.map((t) => upsampleBilinear(scorePatches(model, t.g), t.g.gridW, t.g.gridH, t.width, t.height));
      const scoreMsPerImage = (performance.now() - t1) / tests.length;
      const img = maps.map((m) => m.data.reduce((a, b) => (b > a ? b : a), -Infinity));
      const masks = tests.map((t, i) => t.mask ?? { width: maps[i].width, height: maps[i].height, data: new Uint8Array(maps[i].width * maps[i].height) });
      const all = imageAuroc(img, labels);
      const pixel = pixelAuroc(maps, masks);
      // The job's guard reads the patch grid's AUROC; the full-size maps' stands in for it here.
      checks.push({ kind, calibrated, imageAuroc: all, patchAuroc: pixel });
      models[calibrated ? `${kind}-calibrated` : kind] = {
        fitSeconds: round(fitSeconds),
        fitCpuSeconds: round(fitCpuSeconds),
        scoreMsPerImage: round(scoreMsPerImage),
        imageAuroc: round(all),
        pixelAuroc: round(pixel),
        byDefectType: Object.fromEntries(types.map((ty) => {
          const idx = tests.flatMap((t, i) => (t.type === 'good' || t.type === ty ? [i] : []));
          return [ty, round(imageAuroc(idx.map((i) => img[i]), idx.map((i) => labels[i])))];
        })),
      };
    }
    out.push({
      category,
      extractor: extractor.id,
      featureDim: extractor.dim,
      trainImages: train.length,
      testImages: { normal: labels.filter((l) => l === 0).length, anomalous: labels.filter((l) => l === 1).length },
      featureMsPerImage: round(featureMsPerImage),
      simplenet: o.models.includes('simplenet') ? o.simplenet : undefined,
      models,
      // The score job's rule, applied here to the whole test split (the job uses a held-out sample).
      chosen: chooseScoreModel(checks),
    });
  }
  return { devdata: o.root, results: out, peakRssMiB: round(process.resourceUsage().maxRSS / 1024) };
}
