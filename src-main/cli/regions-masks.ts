import { MAX_PAGE_ITEMS, type ApiClient } from '../api/contract';
import { waitForJob } from './jobs';

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
export async function propagateAndWait(api: ApiClient, category: { id: number; name: string }, seed: number): Promise<PropagateReport> {
  const { jobId } = await api.call('regions.propagate', { categoryId: category.id, seed });
  const finished = await waitForJob(api, 'propagate', jobId);
  const state = await api.call('regions.get', { categoryId: category.id });
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
  api: ApiClient,
  category: { id: number; name: string },
  opts: { clusterId: number | null; count: number; seed: number },
): Promise<MasksReport> {
  const { jobId } = await api.call('masks.generate', { categoryId: category.id, ...opts });
  const finished = await waitForJob(api, 'masks', jobId);
  const masks: MasksReport['masks'] = [];
  for (let offset = 0; ; offset += MAX_PAGE_ITEMS) {
    const page = await api.call('masks.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: MAX_PAGE_ITEMS });
    for (const m of page.items) {
      masks.push({
        id: m.id,
        path: m.file,
        sourceMask: m.sourceMaskFile,
        normalImage: m.normalImageFile,
        cluster: m.cluster,
        region: m.region,
        mode: m.mode,
        insideFraction: Math.round(m.insideFraction * 10000) / 10000,
        seed: m.seed,
      });
    }
    if (masks.length >= page.total || page.items.length === 0) break;
  }
  return { category: category.name, status: finished.status, error: finished.error, made: finished.result?.made ?? 0, failed: finished.result?.failures ?? [], masks };
}
