/** synth.*: generate one anomaly image per aligned mask (METHOD.md §2, §2b). */
import { resolveDiffusion } from '../concepts/handlers';
import type { EngineContext, NamespaceHandlers } from '../context';
import type { SynthClusterSummary } from '../../api/types';
import { chooseBlendMode } from '../../core/generate/blend-mode';
import { defectPatch, meanPairwiseSsim, type GrayPatch } from '../../core/metrics/diversity';
import { clusterState } from '../../store/clusters';
import { getImage, maskBlob } from '../../store/images';
import { listSamples } from '../../store/samples';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { SynthParams } from './job';
import { clusterCounts } from '../masks/handlers';
import { synthPlan } from './plan';

/** Pairs per cluster whose crops the diversity figure compares (24 pairs: 276 SSIMs). */
const DIVERSITY_PAIRS = 24;

export function synthHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'synth'> {
  return {
    'synth.run': async (a) => {
      const categoryId = ctx.category(a.categoryId);
      const params: SynthParams = {
        categoryId,
        clusterId: a.clusterId,
        perCluster: a.perCluster,
        ...(a.total !== undefined ? { caps: clusterCounts(clusterState(ctx.session().db, categoryId).clusters, a.clusterId, a.total, a.allocation) } : {}),
        generator: a.generator,
        seed: a.seed,
        blendMode: a.blendMode,
        ...(a.generator === 'diffusion' ? { diffusion: await resolveDiffusion(ctx.session().db, categoryId, userDataDir, a) } : {}),
      };
      return ctx.startJob('synth', params);
    },
    'synth.plan': (a) => synthPlan(ctx.session().db, { ...a, categoryId: ctx.category(a.categoryId) }).plan,
    'synth.clusters': async (a) => {
      const { db, blobs } = ctx.session();
      const categoryId = ctx.category(a.categoryId);
      const clusters: SynthClusterSummary[] = [];
      for (const c of clusterState(db, categoryId).clusters) {
        const blendModes: Record<string, number> = {};
        for (const m of c.members) {
          const img = getImage(db, m.imageId);
          const blob = maskBlob(db, m.maskId);
          if (!img || !blob) continue;
          const mode = chooseBlendMode(await loadRaster(img.sourcePath, MAX_INPUT_PIXELS), await loadMask(blobs.path(blob))).mode;
          blendModes[mode] = (blendModes[mode] ?? 0) + 1;
        }
        const page = listSamples(db, { categoryId, clusterId: c.id, sort: 'id', offset: 0, limit: DIVERSITY_PAIRS });
        const patches: GrayPatch[] = [];
        for (const s of page.items) {
          const p = defectPatch(await loadRaster(blobs.path(s.imageBlob), MAX_INPUT_PIXELS), await loadMask(blobs.path(s.maskBlob)));
          if (p) patches.push(p);
        }
        const diversity = meanPairwiseSsim(patches);
        clusters.push({ clusterId: c.id, name: c.name, size: c.size, blendModes, pairs: page.counts.total, diversity: Number.isNaN(diversity) ? null : diversity });
      }
      return { clusters };
    },
  };
}
