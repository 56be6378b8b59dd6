import { decideSamples, listSamples } from '../../store/samples';
import type { EngineContext, HandlerMap } from '../context';
import type { ExportParams } from '../export-job';
import { applyKeep, scorerInfo, type ScoreParams } from '../score-job';
import type { SynthParams } from '../synth-job';
import { resolveDiffusion } from './concepts';
import { resolveBackboneChoice } from '../backbone-choice';

type SampleRequests = 'synth.run' | 'samples.list' | 'samples.decide' | 'score.run' | 'score.info' | 'samples.filter' | 'export.run';

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
      const categoryId = ctx.category(a.categoryId);
      const { items, counts } = listSamples(ctx.session().db, { categoryId, clusterId: a.clusterId, sort: a.sort, offset: a.offset, limit: a.limit });
      return { total: counts.total, offset: a.offset, items, counts };
    },
    'samples.decide': (a) => ({ updated: decideSamples(ctx.session().db, a.sampleIds, a.decision) }),
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
