import type { JobParams } from '../../api/jobs';
import type { ScoreJobResult, ScorerSelfCheck } from '../../api/types';
import { deriveSeed } from '../../core/random';
import type { ScoreMap } from '../../core/metrics';
import { imageAuroc } from '../../core/metrics';
import {
  anomalyRegionScore,
  deserialiseScorer,
  maxScore,
  serialiseScorer,
  type PatchGrid,
  type TrainedScorer,
} from '../../core/score';
import { getImage, heldOutImages, normalTrainingImages } from '../../store/images';
import { samplesToScore, setSampleScore } from '../../store/samples';
import { applyKeep } from './filter';
import { insertScorer, latestScorer } from '../../store/scorers';
import { JobCancelled, type JobBody } from '../jobs/runner';
import { encodeRawPng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import { trainScorerInWorker } from '../workers/scorer-thread';
import type { ProjectSession } from '../session';
import { scoreExtractor, scoreMapWith, type GridExtractor } from '../backbone-choice';

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
    let scorerId: number;
    let model: TrainedScorer;
    let selfCheck: ScorerSelfCheck | null = null;
    const stored = latestScorer(db, params.categoryId);
    const reuse = stored !== undefined && stored.settings === JSON.stringify({ ...settings, maxTrainImages: params.maxTrainImages, extractor: extractor.id });
    // Each training epoch is a unit of the total, so the bar moves while the scorer trains.
    ctx.setTotal(samples.length + 2 + (reuse ? 0 : params.epochs));
    if (stored && reuse) {
      scorerId = stored.id;
      model = deserialiseScorer(JSON.parse(stored.model));
      selfCheck = stored.self_check ? JSON.parse(stored.self_check) : null;
      if (!ctx.finished.has('train')) ctx.commitItem('train', 'skipped');
    } else {
      const normals = pick(
        normalTrainingImages(db, params.categoryId),
        params.maxTrainImages,
        params.seed,
      );
      if (normals.length === 0) throw new Error('no normal training images to train the scorer on');
      ctx.message(`Training the scorer on ${normals.length} normal images (${params.epochs} epochs)`);
      // Patch features here, one image at a time with a yield between images; then the training
      // itself on a worker thread (scorer-thread.ts), so the engine keeps answering meanwhile.
      const grids: PatchGrid[] = [];
      for (const n of normals) {
        if (ctx.signal.aborted) throw new JobCancelled();
        grids.push(await extractor.grid(await loadRaster(getImage(db, n.id)!.sourcePath, MAX_INPUT_PIXELS)));
        await new Promise<void>((ok) => setImmediate(ok));
      }
      model = await trainScorerInWorker(grids, extractor.id, settings, {
        signal: ctx.signal,
        onEpoch: (p) => {
          ctx.advance(1);
          if (p.epoch % 5 === 0) ctx.message(`Training the scorer: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`);
        },
      });
      ctx.message('Self-check: real held-out anomalies against held-out normal images');
      selfCheck = await selfCheckAuroc(session, params.categoryId, model, extractor);
      const m = model;
      scorerId = 0;
      ctx.commitItem('train', 'done', () => {
        scorerId = insertScorer(db, {
          categoryId: params.categoryId,
          settings: JSON.stringify({ ...settings, maxTrainImages: params.maxTrainImages, extractor: extractor.id }),
          model: JSON.stringify(serialiseScorer(m)),
          selfCheck: JSON.stringify(selfCheck),
        });
      });
    }

    ctx.message('Scoring generated pairs');
    for (const s of samples) {
      if (ctx.signal.aborted) return null;
      const key = `score:${s.id}:${scorerId}`;
      if (ctx.finished.has(key)) continue;
      const raster = await loadRaster(blobs.path(s.imageBlob), MAX_INPUT_PIXELS);
      const mask = await loadMask(blobs.path(s.maskBlob));
      const map = await scoreMapWith(model, extractor, raster);
      const ars = anomalyRegionScore(map, mask);
      const heat = blobs.put(await heatMapPng(map), 'png');
      ctx.commitItem(key, 'done', () => setSampleScore(db, s.id, { ars, scorerId, scoreBlob: heat }));
      await new Promise<void>((ok) => setImmediate(ok));
    }
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

/**
 * The scorer's own check on real data the pipeline never learnt from: max score of held-out
 * anomalies vs held-out (test) normal images, as image AUROC, overall and per defect type (a
 * weak type tells the user which kind of anomaly the filter cannot judge).
 */
async function selfCheckAuroc(
  session: ProjectSession,
  categoryId: number,
  model: TrainedScorer,
  extractor: GridExtractor,
): Promise<ScorerSelfCheck> {
  const all = heldOutImages(session.db, categoryId);
  // A seeded sample of each side keeps the check to seconds on categories with thousands of images.
  const rows = [...pick(all.filter((r) => r.kind === 'normal'), SELF_CHECK_PER_SIDE, 0), ...pick(all.filter((r) => r.kind === 'anomaly'), SELF_CHECK_PER_SIDE, 0)];
  const scores: number[] = [];
  const labels: number[] = [];
  for (const r of rows) {
    const raster = await loadRaster(getImage(session.db, r.id)!.sourcePath, MAX_INPUT_PIXELS);
    scores.push(maxScore(await scoreMapWith(model, extractor, raster)));
    labels.push(r.kind === 'anomaly' ? 1 : 0);
    await new Promise<void>((ok) => setImmediate(ok));
  }
  const auroc = (s: number[], l: number[]): number | null =>
    l.includes(0) && l.includes(1) ? Math.round(imageAuroc(s, l) * 10000) / 10000 : null;
  const normalIdx = rows.flatMap((r, i) => (r.kind === 'normal' ? [i] : []));
  const types = [...new Set(rows.filter((r) => r.kind === 'anomaly').map((r) => r.defectType ?? '(none)'))].sort();
  const byDefectType = types.map((t) => {
    const idx = [...normalIdx, ...rows.flatMap((r, i) => (r.kind === 'anomaly' && (r.defectType ?? '(none)') === t ? [i] : []))];
    return { defectType: t, imageAuroc: auroc(idx.map((i) => scores[i]), idx.map((i) => labels[i])), anomalies: idx.length - normalIdx.length };
  });
  const normals = normalIdx.length;
  return { imageAuroc: auroc(scores, labels), normals, anomalies: labels.length - normals, byDefectType };
}
