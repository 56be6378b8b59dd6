/** synth.*: generate one anomaly image per aligned mask (METHOD.md §2, §2b). */
import { resolveDiffusion } from '../concepts/handlers';
import type { EngineContext, NamespaceHandlers } from '../context';
import type { SynthParams } from './job';

export function synthHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'synth'> {
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
  };
}
