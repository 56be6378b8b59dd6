import type { JobParams } from '../../api/jobs';
import type { ScoreJobResult, ScorerModelChoice, ScorerSelfCheck } from '../../api/types';
import { deriveSeed } from '../../core/random';
import type { ScoreMap } from '../../core/metrics';
import { imageAuroc, pixelAuroc } from '../../core/metrics';
import {
  anomalyRegionScore,
  chooseScoreModel,
  deserialiseScoreModel,
  gridCellOf,
  SCORE_MODEL_KINDS,
  scorePatches,
  serialiseScoreModel,
  type PatchGrid,
  type GaussianScorer,
  type ScoreModel,
  type ScoreModelKind,
} from '../../core/score';
import { getImage, heldOutImages, normalTrainingImages } from '../../store/images';
import { samplesToScore, setSampleScore } from '../../store/samples';
import { applyKeep } from './filter';
import { insertScorer, latestScorer } from '../../store/scorers';
import { JobCancelled, type JobBody } from '../jobs/runner';
import { encodeRawPng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import { fitGaussianInWorker, trainScorerInWorker } from '../workers/scorer-thread';
import type { ProjectSession } from '../session';
import { scoreExtractor, scoreMapWith, type GridExtractor } from '../backbone-choice';
import { PairScorerPool } from '../workers/pair-scorer-pool';
import { defaultPoolSize } from '../workers/worker-pool';
import { ScoreClock, type ScoreWorkLeft } from './time-left';
import type { Mask, Raster } from '../../core/image/raster';

/**
 * LQSF (METHOD.md §5): a SimpleNet-style scorer trained on the category's normal training images,
 * then ARS = Σ(S⊙M)/ΣM (Eq. 7) for every generated pair, then the n_keep best per cluster are kept.
 * The user's accept/reject decisions are separate columns and are never touched here.
 */
/** The scoring job's stored parameters (contract: `jobs.score`). */
export type ScoreParams = JobParams<'score'>;

export function scoreJob(session: ProjectSession, params: ScoreParams): JobBody<ScoreJobResult> {
  return async (ctx) => {
    const { db, blobs } = session;
    const extractor = await scoreExtractor(params.backbone);
    const samples = samplesToScore(db, params.categoryId);
    const settings = { epochs: params.epochs, batchImages: params.batchImages, patchFraction: params.patchFraction ?? 1, seed: params.seed };
    const requested = params.model ?? 'simplenet';
    // A backbone pack's features train SimpleNet, as the paper: its hundreds of dimensions are what
    // the discriminator was made for, and a per-location covariance of them would not fit in memory.
    const candidates: ScoreModelKind[] = params.backbone ? ['simplenet'] : requested === 'auto' ? [...SCORE_MODEL_KINDS] : [requested];
    const chosenBy: ScorerModelChoice['chosenBy'] = params.backbone ? 'backbone' : requested === 'auto' ? 'auto' : 'user';
    let scorerId: number;
    let model: ScoreModel;
    let selfCheck: ScorerSelfCheck | null = null;
    const stored = latestScorer(db, params.categoryId);
    const storedSettings = JSON.stringify({ ...settings, maxTrainImages: params.maxTrainImages, extractor: extractor.id, ...(params.model ? { model: params.model } : {}) });
    const reuse = stored !== undefined && stored.settings === storedSettings;
    // Each image's patch features, each SimpleNet epoch and each Gaussian fit is a unit of the
    // total, so the bar moves while the scorer trains.
    const normals = reuse ? [] : pick(normalTrainingImages(db, params.categoryId), params.maxTrainImages, params.seed);
    const heldRows = reuse ? [] : heldOutRows(session, params.categoryId);
    const trainingUnits = normals.length + heldRows.length + candidates.reduce((n, k) => n + (k === 'simplenet' ? params.epochs : 1), 0);
    ctx.setTotal(samples.length + 2 + (reuse ? 0 : trainingUnits));
    // The units differ in cost, so the ETA is the job's own while it trains (time-left.ts).
    const workers = !params.backbone && samples.length > 1 ? defaultPoolSize() : 1;
    const clock = new ScoreClock(heldRows.length);
    if (stored && reuse) {
      scorerId = stored.id;
      model = deserialiseScoreModel(JSON.parse(stored.model));
      selfCheck = stored.self_check ? JSON.parse(stored.self_check) : null;
      if (!ctx.finished.has('train')) ctx.commitItem('train', 'skipped');
    } else {
      if (normals.length === 0) throw new Error('no normal training images to train the scorer on');
      ctx.message(`Training the scorer on ${normals.length} normal images (${candidates.join(', ')})`);
      // `auto` also tries each Gaussian model with its scores calibrated per location (core/score/
      // calibration.ts), which needs a few normal images to split in two.
      const calibrate = requested === 'auto' && normals.length >= MIN_CALIBRATION_IMAGES;
      const left: ScoreWorkLeft = {
        image: normals.length + heldRows.length,
        fit: candidates.filter((k) => k !== 'simplenet').length,
        epoch: candidates.includes('simplenet') ? params.epochs : 0,
        selfCheck: candidates.reduce((n, k) => n + (k !== 'simplenet' && calibrate ? 2 : 1), 0),
        pair: samples.length,
      };
      const done = (work: keyof ScoreWorkLeft, since: number) => {
        clock.add(work, Date.now() - since);
        left[work]--;
        ctx.estimate(clock.timeLeft(left, workers));
      };
      ctx.estimate(null);
      // Patch features here, one image at a time with a yield between images, each image once for
      // every candidate model; then the fits themselves on a worker thread (scorer-thread.ts), so
      // the engine keeps answering meanwhile.
      const grids: PatchGrid[] = [];
      for (const n of normals) {
        if (ctx.signal.aborted) throw new JobCancelled();
        const t = Date.now();
        grids.push(await extractor.grid(await loadRaster(getImage(db, n.id)!.sourcePath, MAX_INPUT_PIXELS)));
        ctx.advance(1);
        done('image', t);
        await new Promise<void>((ok) => setImmediate(ok));
      }
      const held = await heldOutGrids(session, heldRows, extractor, ctx.signal, (t) => {
        ctx.advance(1);
        done('image', t);
      });
      const fitted: { kind: ScoreModelKind; calibrated: boolean; model: ScoreModel; check: ScorerSelfCheck; seconds: number; checkMs: number }[] = [];
      const checked = (m: ScoreModel) => {
        const t = Date.now();
        const check = selfCheckOf(held, m);
        const checkMs = Date.now() - t;
        done('selfCheck', t);
        return { check, checkMs };
      };
      for (const kind of candidates) {
        const t0 = Date.now();
        let m: ScoreModel;
        let twin: GaussianScorer | null = null;
        if (kind === 'simplenet') {
          let epochStart = Date.now();
          m = await trainScorerInWorker(grids, extractor.id, settings, {
            signal: ctx.signal,
            onEpoch: (p) => {
              ctx.advance(1);
              done('epoch', epochStart);
              epochStart = Date.now();
              if (p.epoch % 5 === 0) ctx.message(`Training the scorer: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`);
            },
          });
        } else {
          ctx.message(`Fitting the ${kind === 'padim' ? 'per-location Gaussian (PaDiM)' : 'Gaussian'} normal model`);
          const g = await fitGaussianInWorker(grids, extractor.id, kind, { signal: ctx.signal, calibrate });
          ctx.advance(1);
          done('fit', t0);
          // The raw model is the calibrated one without its calibration: one fit serves both.
          if (g.calibration) {
            twin = g;
            const { calibration: _c, ...raw } = g;
            m = raw;
          } else m = g;
        }
        const seconds = Math.round((Date.now() - t0) / 100) / 10;
        ctx.message(`Self-check of ${kind}: real held-out anomalies against held-out normal images`);
        fitted.push({ kind, calibrated: false, model: m, seconds, ...checked(m) });
        if (twin) fitted.push({ kind, calibrated: true, model: twin, seconds, ...checked(twin) });
      }
      const choice =
        fitted.length === 1
          ? { kind: fitted[0].kind, calibrated: false, reason: chosenBy === 'backbone' ? 'a backbone pack trains SimpleNet (the paper\'s model)' : 'the model this run asked for' }
          : chooseScoreModel(fitted.map((f) => ({ kind: f.kind, calibrated: f.calibrated, imageAuroc: f.check.imageAuroc, patchAuroc: f.check.patchAuroc })));
      const winner = fitted.find((f) => f.kind === choice.kind && f.calibrated === choice.calibrated)!;
      model = winner.model;
      clock.chosenModelScoring(winner.checkMs, held.grids.length);
      selfCheck = {
        ...winner.check,
        model: {
          kind: choice.kind,
          calibrated: choice.calibrated,
          chosenBy,
          reason: choice.reason,
          candidates: fitted.map((f) => ({ kind: f.kind, calibrated: f.calibrated, imageAuroc: f.check.imageAuroc, patchAuroc: f.check.patchAuroc, seconds: f.seconds })),
        },
      };
      const m = model;
      const check = selfCheck;
      scorerId = 0;
      ctx.commitItem('train', 'done', () => {
        scorerId = insertScorer(db, {
          categoryId: params.categoryId,
          settings: storedSettings,
          model: JSON.stringify(serialiseScoreModel(m)),
          selfCheck: JSON.stringify(check),
        });
      });
    }

    ctx.message('Scoring generated pairs');
    const todo = samples.filter((s) => !ctx.finished.has(`score:${s.id}:${scorerId}`));
    // The pairs' predicted pace stands until their own is measured.
    ctx.estimate(clock.timeLeft({ image: 0, fit: 0, epoch: 0, selfCheck: 0, pair: todo.length }, workers));
    ctx.paceFromHere();
    // The built-in extractor scores on a worker per core while this thread decodes, encodes and
    // writes; a backbone pack's ONNX session runs here, one pair at a time.
    const pool = !params.backbone && todo.length > 1 ? new PairScorerPool(model) : null;
    // The closures below capture a const: `model` is a `let` assigned in the branches above.
    const scored = model;
    const mapAndArs = pool
      ? (raster: Raster, mask: Mask) => pool.score(raster, mask)
      : async (raster: Raster, mask: Mask) => {
          const map = await scoreMapWith(scored, extractor, raster);
          return { map, ars: anomalyRegionScore(map, mask) };
        };
    let next = 0;
    let failure: unknown = null;
    const lane = async () => {
      while (next < todo.length && failure === null && !ctx.signal.aborted) {
        const s = todo[next++];
        try {
          const raster = await loadRaster(blobs.path(s.imageBlob), MAX_INPUT_PIXELS);
          const mask = await loadMask(blobs.path(s.maskBlob));
          const { map, ars } = await mapAndArs(raster, mask);
          const heat = blobs.put(await heatMapPng(map), 'png');
          ctx.commitItem(`score:${s.id}:${scorerId}`, 'done', () => setSampleScore(db, s.id, { ars, scorerId, scoreBlob: heat }));
        } catch (err) {
          failure ??= err;
        }
        await new Promise<void>((ok) => setImmediate(ok));
      }
    };
    try {
      // Two pairs in flight per worker: one decoding or writing here while the other is scored.
      await Promise.all(Array.from({ length: pool ? pool.size * 2 : 1 }, lane));
    } finally {
      await pool?.close();
    }
    if (failure !== null) throw failure;
    if (ctx.signal.aborted) return null;
    const keep = applyKeep(db, params.categoryId, params.keep);
    ctx.commitItem('filter', 'done');
    return { categoryId: params.categoryId, scored: samples.length, kept: keep.kept, keep, scorerId, selfCheck };
  };
}

/** The score map as an 8-bit gray PNG, min-max scaled per image (the overlay shows where, not how much). */
async function heatMapPng(map: ScoreMap): Promise<Buffer> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const out = Buffer.alloc(map.width * map.height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(((map.data[i] - lo) / span) * 255);
  return encodeRawPng(out, map.width, map.height, 1);
}

/** Seeded subset of at most n rows, in a stable order. */
function pick<T extends { id: number }>(rows: T[], n: number, seed: number): T[] {
  if (rows.length <= n) return rows;
  return [...rows].sort((a, b) => deriveSeed(seed, a.id) - deriveSeed(seed, b.id)).slice(0, n);
}

const SELF_CHECK_PER_SIDE = 24;

/** Normal images a per-location calibration needs at least: two halves of two, each fitting a model for the other. */
const MIN_CALIBRATION_IMAGES = 4;

type HeldOutRow = ReturnType<typeof heldOutImages>[number];

interface HeldOutGrids {
  rows: HeldOutRow[];
  grids: PatchGrid[];
  /** Per grid: 1 where the cell's centre lies in the image's real mask (anomalies; all 0 for normal images). */
  cellLabels: Uint8Array[];
}

/**
 * Patch features of the self-check's images, extracted once for every candidate model: a seeded
 * sample of the held-out normal and anomalous images (keeps the check to seconds on categories
 * with thousands of images).
 */
function heldOutRows(session: ProjectSession, categoryId: number): HeldOutRow[] {
  const all = heldOutImages(session.db, categoryId);
  return [...pick(all.filter((r) => r.kind === 'normal'), SELF_CHECK_PER_SIDE, 0), ...pick(all.filter((r) => r.kind === 'anomaly'), SELF_CHECK_PER_SIDE, 0)];
}

/** `onImage(startedAt)` after each image's features. */
async function heldOutGrids(session: ProjectSession, rows: HeldOutRow[], extractor: GridExtractor, signal: AbortSignal, onImage: (startedAt: number) => void): Promise<HeldOutGrids> {
  const grids: PatchGrid[] = [];
  const cellLabels: Uint8Array[] = [];
  for (const r of rows) {
    if (signal.aborted) throw new JobCancelled();
    const startedAt = Date.now();
    const image = getImage(session.db, r.id)!;
    const grid = await extractor.grid(await loadRaster(image.sourcePath, MAX_INPUT_PIXELS));
    grids.push(grid);
    const union = image.masks.find((m) => m.role === 'union');
    cellLabels.push(union ? maskCells(await loadMask(session.blobs.path(union.blob)), grid.gridW, grid.gridH) : new Uint8Array(grid.gridW * grid.gridH));
    onImage(startedAt);
    await new Promise<void>((ok) => setImmediate(ok));
  }
  return { rows, grids, cellLabels };
}

/** 1 for each cell of a gridW × gridH grid whose centre lies in the mask. */
function maskCells(mask: Mask, gridW: number, gridH: number): Uint8Array {
  const out = new Uint8Array(gridW * gridH);
  for (let y = 0; y < gridH; y++) {
    const my = gridCellOf(y, gridH, mask.height);
    for (let x = 0; x < gridW; x++) out[y * gridW + x] = mask.data[my * mask.width + gridCellOf(x, gridW, mask.width)] ? 1 : 0;
  }
  return out;
}

/**
 * The scorer's own check on real data the pipeline never learnt from: max score of held-out
 * anomalies vs held-out (test) normal images, as image AUROC, overall and per defect type (a
 * weak type tells the user which kind of anomaly the filter cannot judge).
 */
function selfCheckOf(held: HeldOutGrids, model: ScoreModel): ScorerSelfCheck {
  const { rows } = held;
  const maps = held.grids.map((g) => scorePatches(model, g));
  const scores: number[] = maps.map((s) => {
    let m = -Infinity;
    for (let i = 0; i < s.length; i++) if (s[i] > m) m = s[i];
    return m;
  });
  const anyDefectCell = held.cellLabels.some((l) => l.includes(1));
  const patchAuroc = anyDefectCell
    ? Math.round(
        pixelAuroc(
          maps.map((data, i) => ({ width: held.grids[i].gridW, height: held.grids[i].gridH, data })),
          held.cellLabels.map((data, i) => ({ width: held.grids[i].gridW, height: held.grids[i].gridH, data })),
        ) * 10000,
      ) / 10000
    : null;
  const labels: number[] = rows.map((r) => (r.kind === 'anomaly' ? 1 : 0));
  const auroc = (s: number[], l: number[]): number | null =>
    l.includes(0) && l.includes(1) ? Math.round(imageAuroc(s, l) * 10000) / 10000 : null;
  const normalIdx = rows.flatMap((r, i) => (r.kind === 'normal' ? [i] : []));
  const types = [...new Set(rows.filter((r) => r.kind === 'anomaly').map((r) => r.defectType ?? '(none)'))].sort();
  const byDefectType = types.map((t) => {
    const idx = [...normalIdx, ...rows.flatMap((r, i) => (r.kind === 'anomaly' && (r.defectType ?? '(none)') === t ? [i] : []))];
    return { defectType: t, imageAuroc: auroc(idx.map((i) => scores[i]), idx.map((i) => labels[i])), anomalies: idx.length - normalIdx.length };
  });
  const normals = normalIdx.length;
  return { imageAuroc: auroc(scores, labels), patchAuroc, normals, anomalies: labels.length - normals, byDefectType };
}
