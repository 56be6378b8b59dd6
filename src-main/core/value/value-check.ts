/**
 * "Will this help?" (issue 11): the same small pixel classifier trained on different training
 * sets of one category — the real few-shot pairs alone, and what an export would contain — and
 * scored on the real anomalies the project held out (the two thirds of the few-shot split it
 * never learns from) and on held-out normal images. No peer tool tells a user this before they
 * train a detector for days.
 *
 * The classifier is the region propagation's random forest on the ilastik-style filter bank
 * (core/regions), trained on class-balanced pixel samples; a pair's mask is its label. It is a
 * proxy for a segmenter, cheap enough to run in minutes on 2 cores, and it compares training
 * sets fairly because everything but the training set is the same.
 */
import type { ExportSelection } from '../../api/types';
import type { Mask, Raster } from '../image/raster';
import { averagePrecisionOfCurve, aurocOfCurve, imageAuroc } from '../metrics/classification';
import { rankCurve } from '../metrics/ranking';
import { computeFilterBank, type FilterBank } from '../regions/filter-bank';
import { predictForest, trainForest } from '../regions/forest';
import { gaussianBlur } from '../regions/planes';
import { createRng, deriveSeed } from '../random';

export interface LabelledImage {
  image: Raster;
  /** The anomaly's mask; null for a normal image (every pixel background). */
  mask: Mask | null;
}

/**
 * A list of images read one at a time (a real check reads hundreds of pairs it need not hold in
 * memory at once); an array is one too.
 */
export interface ImageList<T> {
  count: number;
  load(index: number): Promise<T> | T;
}

export function listOf<T>(items: readonly T[]): ImageList<T> {
  return { count: items.length, load: (i) => items[i] };
}

export interface TrainingSource {
  name: string;
  pairs: ImageList<LabelledImage>;
}

export interface ValueCheckInput {
  sources: TrainingSource[];
  /** Normal training images, background-only examples shared by every source. */
  normals: ImageList<Raster>;
  heldOutAnomalies: ImageList<{ image: Raster; mask: Mask }>;
  heldOutNormals: ImageList<Raster>;
  seeds: readonly number[];
  /** Working side of the filter bank (px); default 160. */
  workSide?: number;
  /** Pixel samples per class per training set; default 6000. */
  samplesPerClass?: number;
  trees?: number;
  onProgress?: (done: number, total: number, message: string) => void;
  signal?: AbortSignal;
}

export interface ValueMetrics {
  pixelAp: number;
  pixelAuroc: number;
  imageAuroc: number;
}

export interface SourceResult {
  name: string;
  /** Mean over the seeds. */
  mean: ValueMetrics;
  perSeed: ValueMetrics[];
  trainingPairs: number;
}

export interface ValueCheckResult {
  sources: SourceResult[];
  seeds: number[];
  heldOutAnomalies: number;
  heldOutNormals: number;
}

/** Sub-sampling of the evaluation pixels: every k-th pixel of each map (the ranking needs no more). */
const EVAL_STRIDE = 2;

function resampleMask(mask: Mask, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / w));
      out[y * w + x] = mask.data[sy * mask.width + sx] !== 0 ? 1 : 0;
    }
  }
  return out;
}

function rowOf(bank: FilterBank, pixel: number, out: Float32Array, offset: number): void {
  const f = bank.planes.length;
  for (let j = 0; j < f; j++) out[offset * f + j] = bank.planes[j][pixel];
}

/**
 * Class-balanced pixel samples of a training set, one draw per seed: each labelled image gives up
 * to its share of the positives (mask pixels) and every image its share of background pixels.
 * Each image's filter bank is computed once and sampled for every seed (the bank is the cost).
 */
async function sampleTrainingPixels(
  pairs: ImageList<LabelledImage>,
  normals: ImageList<Raster>,
  workSide: number,
  perClass: number,
  seeds: readonly number[],
  signal?: AbortSignal,
): Promise<{ x: Float32Array; y: Uint8Array; features: number }[]> {
  const rngs = seeds.map((seed) => createRng(seed));
  const posShare = Math.max(1, Math.ceil(perClass / Math.max(1, pairs.count)));
  const negShare = Math.max(1, Math.ceil(perClass / Math.max(1, pairs.count + normals.count)));
  const rows: Float32Array[][] = seeds.map(() => []);
  const labels: number[][] = seeds.map(() => []);
  let features = 0;
  for (let index = 0; index < pairs.count + normals.count; index++) {
    if (signal?.aborted) throw abortError();
    const item: LabelledImage = index < pairs.count ? await pairs.load(index) : { image: await normals.load(index - pairs.count), mask: null };
    const bank = computeFilterBank(item.image, workSide);
    features = bank.planes.length;
    const n = bank.width * bank.height;
    const on = item.mask ? resampleMask(item.mask, bank.width, bank.height) : new Uint8Array(n);
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < n; i++) (on[i] ? pos : neg).push(i);
    rngs.forEach((rng, k) => {
      const take = (list: number[], want: number, label: number) => {
        const m = Math.min(want, list.length);
        for (let t = 0; t < m; t++) {
          const r = t + rng.int(list.length - t);
          const p = list[r];
          list[r] = list[t];
          list[t] = p;
          const row = new Float32Array(features);
          rowOf(bank, p, row, 0);
          rows[k].push(row);
          labels[k].push(label);
        }
      };
      take(pos, posShare, 1);
      take(neg, negShare, 0);
    });
  }
  return rows.map((list, k) => {
    const x = new Float32Array(list.length * features);
    list.forEach((r, i) => x.set(r, i * features));
    return { x, y: Uint8Array.from(labels[k]), features };
  });
}

/** The held-out set as filter banks with their (working-size) masks; computed once per check. */
interface EvalItem {
  bank: FilterBank;
  mask: Uint8Array;
  anomalous: boolean;
}

async function evaluate(forest: ReturnType<typeof trainForest>, items: EvalItem[], signal?: AbortSignal): Promise<ValueMetrics> {
  let total = 0;
  for (const it of items) total += Math.ceil(it.mask.length / EVAL_STRIDE);
  const scores = new Float32Array(total);
  const labels = new Uint8Array(total);
  const imageScores: number[] = [];
  let o = 0;
  for (const it of items) {
    if (signal?.aborted) throw abortError();
    // One image at a time, yielding between them: a caller's event loop stays free.
    await new Promise((r) => setImmediate(r));
    const { bank } = it;
    const n = bank.width * bank.height;
    const f = bank.planes.length;
    const x = new Float32Array(n * f);
    for (let p = 0; p < n; p++) rowOf(bank, p, x, p);
    const prob = predictForest(forest, x);
    const map = new Float64Array(n);
    for (let p = 0; p < n; p++) map[p] = prob[p * 2 + 1];
    // Image score: the peak of the lightly smoothed map, so one stray pixel does not decide.
    const smooth = gaussianBlur(map, bank.width, bank.height, 2);
    let peak = 0;
    for (let p = 0; p < n; p++) if (smooth[p] > peak) peak = smooth[p];
    imageScores.push(peak);
    for (let p = 0; p < n; p += EVAL_STRIDE) {
      scores[o] = map[p];
      labels[o] = it.mask[p];
      o++;
    }
  }
  const curve = rankCurve(scores.subarray(0, o), labels.subarray(0, o));
  return {
    pixelAp: averagePrecisionOfCurve(curve),
    pixelAuroc: aurocOfCurve(curve),
    imageAuroc: imageAuroc(imageScores, items.map((i) => (i.anomalous ? 1 : 0))),
  };
}

function meanOf(list: ValueMetrics[]): ValueMetrics {
  const m = (k: keyof ValueMetrics) => list.reduce((s, v) => s + v[k], 0) / list.length;
  return { pixelAp: m('pixelAp'), pixelAuroc: m('pixelAuroc'), imageAuroc: m('imageAuroc') };
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export async function runValueCheck(input: ValueCheckInput): Promise<ValueCheckResult> {
  const workSide = input.workSide ?? 160;
  const perClass = input.samplesPerClass ?? 6000;
  const seeds = [...input.seeds];
  if (seeds.length === 0) throw new Error('the value check needs at least one seed');
  const steps = 1 + seeds.length * input.sources.length;
  let done = 0;
  const tick = (message: string) => input.onProgress?.(++done, steps, message);
  // The held-out set's filter banks are small (workSide px) and reused by every forest.
  const items: EvalItem[] = [];
  for (let i = 0; i < input.heldOutAnomalies.count; i++) {
    const a = await input.heldOutAnomalies.load(i);
    const bank = computeFilterBank(a.image, workSide);
    items.push({ bank, mask: resampleMask(a.mask, bank.width, bank.height), anomalous: true });
  }
  for (let i = 0; i < input.heldOutNormals.count; i++) {
    const bank = computeFilterBank(await input.heldOutNormals.load(i), workSide);
    items.push({ bank, mask: new Uint8Array(bank.width * bank.height), anomalous: false });
  }
  tick('held-out images prepared');
  const results: SourceResult[] = input.sources.map((s) => ({ name: s.name, mean: { pixelAp: 0, pixelAuroc: 0, imageAuroc: 0 }, perSeed: [], trainingPairs: s.pairs.count }));
  for (let k = 0; k < input.sources.length; k++) {
    const source = input.sources[k];
    const sourceSeeds = seeds.map((seed) => deriveSeed(seed, k));
    const samples = await sampleTrainingPixels(source.pairs, input.normals, workSide, perClass, sourceSeeds, input.signal);
    for (let j = 0; j < seeds.length; j++) {
      const forest = trainForest(samples[j].x, samples[j].y, 2, deriveSeed(sourceSeeds[j], 1), { trees: input.trees ?? 24 });
      results[k].perSeed.push(await evaluate(forest, items, input.signal));
      tick(`${source.name}, seed ${seeds[j]}`);
    }
  }
  for (const r of results) r.mean = meanOf(r.perSeed);
  return { sources: results, seeds, heldOutAnomalies: input.heldOutAnomalies.count, heldOutNormals: input.heldOutNormals.count };
}

/** Flip and half-turn copies of a pair: how the real few-shot pairs are stretched to a training set. */
export function augmentPair(pair: { image: Raster; mask: Mask }, kind: 0 | 1 | 2 | 3): { image: Raster; mask: Mask } {
  if (kind === 0) return pair;
  const mirror = kind === 1 || kind === 3;
  const flip = kind === 2 || kind === 3;
  // The image may be a shrunk copy of the pair (a check reads images at its working size), so
  // each is turned in its own size.
  const turn = (data: Uint8Array, w: number, h: number, ch: number): Uint8Array => {
    const out = new Uint8Array(data.length);
    for (let y = 0; y < h; y++) {
      const sy = flip ? h - 1 - y : y;
      for (let x = 0; x < w; x++) {
        const sx = mirror ? w - 1 - x : x;
        const d = (y * w + x) * ch;
        const s = (sy * w + sx) * ch;
        for (let c = 0; c < ch; c++) out[d + c] = data[s + c];
      }
    }
    return out;
  };
  const { image, mask } = pair;
  return {
    image: { ...image, data: turn(image.data, image.width, image.height, image.channels) },
    mask: { ...mask, data: turn(mask.data, mask.width, mask.height, 1) },
  };
}

/** One export selection's figures in a value check: pixel AP per seed, in the check's seed order. */
export interface SelectionFigures {
  selection: ExportSelection;
  pixelApPerSeed: readonly number[];
}

export interface SelectionChoice {
  selection: 'kept' | 'all';
  /** Why, in a sentence a user reads on the Export screen. */
  why: string;
}

/**
 * The export's default filter, from what the value check measured (issue 11 item 7, issue 15
 * item 3): the ARS filter's `kept` pairs only where they trained better than every pair kept
 * (`all`) by more than the noise — the mean pixel-AP gain over both seeds exceeds half the
 * spread of the per-seed gains and one AP point; otherwise keep all (the Review screen still flags
 * the lowest-scoring pairs). Without a `kept` measurement (nothing scored, or the filter keeps
 * every pair) the choice is `all`.
 */
export function chooseSelection(figures: readonly SelectionFigures[], scored = true): SelectionChoice | null {
  const all = figures.find((f) => f.selection === 'all');
  const kept = figures.find((f) => f.selection === 'kept');
  if (!all) return null;
  if (!kept) {
    return { selection: 'all', why: scored ? 'the ARS filter keeps every pair, so there was nothing to compare' : 'no pair is scored yet, so every pair is kept' };
  }
  const gains = kept.pixelApPerSeed.map((v, i) => v - all.pixelApPerSeed[i]);
  const gain = gains.reduce((a, b) => a + b, 0) / gains.length;
  const noise = (Math.max(...gains) - Math.min(...gains)) / 2;
  const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)}`;
  const margin = Math.max(noise, 0.01);
  return gain > margin
    ? { selection: 'kept', why: `the pairs the ARS filter kept trained better than all pairs (pixel AP ${pts(gain)} ± ${(100 * noise).toFixed(1)})` }
    : {
        selection: 'all',
        why: `the ARS filter did not train better than keeping every pair (pixel AP ${pts(gain)} ± ${(100 * noise).toFixed(1)}), so all are kept and the lowest are only flagged`,
      };
}
