import type { SampleInfo } from '../../api/types';
import { stmt } from '../../store/statements';
import type { EngineContext, HandlerMap } from '../context';
import type { ExportParams } from '../export-job';
import { applyKeep, scorerInfo, type ScoreParams } from '../score-job';
import type { SynthParams } from '../synth-job';
import { resolveDiffusion } from './concepts';
import { resolveBackboneChoice } from '../backbone-choice';

type SampleRequests = 'synth.run' | 'samples.list' | 'samples.decide' | 'score.run' | 'score.info' | 'samples.filter' | 'export.run';

const SAMPLE_COLUMNS = `id, category_id AS categoryId, cluster_id AS clusterId, cluster_name AS cluster, aligned_mask_id AS alignedMaskId,
  normal_image_id AS normalImageId, source_image_id AS sourceImageId, generator, seed, blend_mode AS blendMode, width, height,
  ars, kept, decision, score_blob IS NOT NULL AS hasScoreMap`;

export function sampleHandlers(ctx: EngineContext, userDataDir: string): HandlerMap<SampleRequests> {
  return {
    'synth.run': async (a) => {
      const categoryId = ctx.category(a.categoryId);
      const params: SynthParams = {
        categoryId,
        clusterId: a.clusterId,
        perCluster: a.perCluster,
        generator: a.generator,
        seed: a.seed,
        blendMode: a.blendMode,
        ...(a.generator === 'diffusion' ? { diffusion: await resolveDiffusion(ctx.session().db, categoryId, userDataDir, a) } : {}),
      };
      return ctx.startJob('synth', params);
    },
    'samples.list': (a) => {
      const db = ctx.session().db;
      const categoryId = ctx.category(a.categoryId);
      const where = a.clusterId === null ? 'category_id = ?' : 'category_id = ? AND cluster_id = ?';
      const args = a.clusterId === null ? [categoryId] : [categoryId, a.clusterId];
      // Sort keys are fixed strings from the allow-list of the contract, never user text.
      const order = a.sort === 'ars' ? 'ars IS NULL, ars DESC, id' : 'id';
      const rows = stmt(db, `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...args, a.limit, a.offset) as (Omit<
        SampleInfo,
        'kept' | 'hasScoreMap'
      > & { kept: number; hasScoreMap: number })[];
      const counts = stmt(
        db,
        `SELECT COUNT(*) AS total, COUNT(ars) AS scored, COALESCE(SUM(kept), 0) AS kept, COALESCE(SUM(decision = 'accepted'), 0) AS accepted,
           COALESCE(SUM(decision = 'rejected'), 0) AS rejected FROM samples WHERE ${where}`,
      ).get(...args) as SamplePageCounts;
      return { total: counts.total, offset: a.offset, items: rows.map((r) => ({ ...r, kept: r.kept === 1, hasScoreMap: r.hasScoreMap === 1 })), counts };
    },
    'samples.decide': (a) => {
      const db = ctx.session().db;
      const update = stmt(db, 'UPDATE samples SET decision = ? WHERE id = ?');
      let updated = 0;
      db.transaction(() => {
        for (const id of a.sampleIds) updated += update.run(a.decision, id).changes;
      })();
      return { updated };
    },
    'score.run': async (a) => {
      const params: ScoreParams = {
        categoryId: ctx.category(a.categoryId),
        epochs: a.epochs,
        batchImages: a.batchImages,
        patchFraction: a.patchFraction,
        maxTrainImages: a.maxTrainImages,
        seed: a.seed,
        keep: a.keep,
        ...(a.extractor !== 'handcrafted' ? { backbone: await resolveBackboneChoice(userDataDir, a.extractor.backbonePack) } : {}),
      };
      return ctx.startJob('score', params);
    },
    'score.info': (a) => scorerInfo(ctx.session().db, ctx.category(a.categoryId)),
    'samples.filter': (a) => ({
      kept: applyKeep(ctx.session().db, ctx.category(a.categoryId), a.keep ?? null, { clusterId: a.clusterId, minArs: a.minArs }),
    }),
    'export.run': (a) => {
      ctx.session();
      const params: ExportParams = {
        outDir: a.outDir,
        name: a.name,
        formats: a.formats,
        selection: a.selection,
        includeReal: a.includeReal,
        includeNormals: a.includeNormals,
        categoryId: a.categoryId === null ? null : ctx.category(a.categoryId),
      };
      return ctx.startJob('export', params);
    },
  };
}

interface SamplePageCounts {
  total: number;
  scored: number;
  kept: number;
  accepted: number;
  rejected: number;
}
