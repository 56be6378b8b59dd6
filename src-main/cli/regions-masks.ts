import type { Engine } from '../engine/engine';

export interface PropagateReport {
  category: string;
  status: 'done' | 'failed' | 'cancelled';
  error: string | null;
  labelled: number;
  propagated: number;
  flagged: number;
  images: { imageId: number; path: string; confidence: number; flagged: boolean }[];
}

/** `gaa regions propagate`: labels every normal image of a category from the labelled ones. */
export async function propagateAndWait(engine: Engine, category: { id: number; name: string }, seed: number): Promise<PropagateReport> {
  const { jobId } = await engine.call('regions.propagate', { categoryId: category.id, seed });
  const finished = await engine.waitForJob(jobId);
  const state = await engine.call('regions.get', { categoryId: category.id });
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    labelled: state.labelled.length,
    propagated: state.propagated.length,
    flagged: state.propagated.filter((p) => p.flagged).length,
    images: state.propagated.map((p) => ({ imageId: p.imageId, path: p.relPath, confidence: Math.round(p.confidence * 1000) / 1000, flagged: p.flagged })),
  };
}

export interface MasksReport {
  category: string;
  status: 'done' | 'failed' | 'cancelled';
  error: string | null;
  made: number;
  failed: { cluster: string; index: number; normalImage: string | null; reason: string }[];
  masks: { id: number; path: string; sourceMask: string | null; normalImage: string; cluster: string; region: string | null; mode: string; insideFraction: number; seed: number }[];
}

/** `gaa masks`: RAMS for a category (or one cluster), reporting each aligned mask and its source. */
export async function masksAndWait(
  engine: Engine,
  category: { id: number; name: string },
  opts: { clusterId: number | null; count: number; seed: number },
): Promise<MasksReport> {
  const { jobId } = await engine.call('masks.generate', { categoryId: category.id, ...opts });
  const finished = await engine.waitForJob(jobId);
  const result = (engine.jobResult(jobId) ?? {}) as { made?: number; failures?: MasksReport['failed'] };
  const masks: MasksReport['masks'] = [];
  for (let offset = 0; ; offset += 2000) {
    const page = await engine.call('masks.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: 2000 });
    for (const m of page.items) {
      masks.push({
        id: m.id,
        path: engine.alignedMaskFile(m.id) ?? '',
        sourceMask: m.sourceMaskId === null ? null : engine.maskFile(m.sourceMaskId),
        normalImage: engine.image(m.normalImageId).sourcePath,
        cluster: m.cluster,
        region: m.region,
        mode: m.mode,
        insideFraction: Math.round(m.insideFraction * 10000) / 10000,
        seed: m.seed,
      });
    }
    if (masks.length >= page.total || page.items.length === 0) break;
  }
  return { category: category.name, status: finished.status, error: finished.error, made: result.made ?? 0, failed: result.failures ?? [], masks };
}
