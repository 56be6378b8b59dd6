import { MAX_PAGE_ITEMS, type ApiClient } from '../api/contract';
import type { ScorerSelfCheck } from '../api/types';
import { waitForJob } from './jobs';

type Status = 'done' | 'failed' | 'cancelled';

export interface SynthReport {
  category: string;
  status: Status;
  error: string | null;
  generator: string;
  made: number;
  failed: { alignedMaskId: number; reason: string }[];
  shortfall: { cluster: string; masks: number }[];
  seconds: number;
  pairsPerSecond: number;
  samples: { id: number; image: string; mask: string; cluster: string; seed: number; blendMode: string }[];
}

/** `gaa synth`: one generated image per aligned mask (up to --per-cluster per cluster). */
export async function synthAndWait(
  api: ApiClient,
  category: { id: number; name: string },
  opts: { clusterId: number | null; perCluster: number; seed: number },
  /** The diffusion generator's pack and settings (METHOD.md §2); absent = the exemplar generator. */
  diffusion?: { sd15Pack: string; steps?: number; guidance?: number },
): Promise<SynthReport> {
  const t0 = Date.now();
  const generator = diffusion ? 'diffusion' : 'exemplar';
  const { jobId } = await api.call('synth.run', { categoryId: category.id, ...opts, generator, ...diffusion });
  const finished = await waitForJob(api, 'synth', jobId);
  const seconds = (Date.now() - t0) / 1000;
  const result = finished.result;
  const samples: SynthReport['samples'] = [];
  for (let offset = 0; ; offset += MAX_PAGE_ITEMS) {
    const page = await api.call('samples.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: MAX_PAGE_ITEMS });
    for (const s of page.items) {
      samples.push({
        id: s.id,
        image: s.file,
        mask: s.maskFile,
        cluster: s.cluster,
        seed: s.seed,
        blendMode: s.blendMode,
      });
    }
    if (samples.length >= page.total || page.items.length === 0) break;
  }
  const made = result?.made ?? 0;
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    generator,
    made,
    failed: result?.failures ?? [],
    shortfall: result?.shortfall ?? [],
    seconds,
    pairsPerSecond: Math.round((made / Math.max(seconds, 1e-3)) * 100) / 100,
    samples,
  };
}

export interface ScoreReport {
  category: string;
  status: Status;
  error: string | null;
  scored: number;
  kept: number;
  selfCheck: ScorerSelfCheck | null;
  seconds: number;
  ars: { min: number; median: number; max: number } | null;
}

/** `gaa score`: trains the category's scorer, scores every pair, keeps the best per cluster. */
export async function scoreAndWait(
  api: ApiClient,
  category: { id: number; name: string },
  opts: { epochs: number; keep: number; seed: number; maxTrainImages: number; batchImages?: number; patchFraction?: number; extractor?: 'handcrafted' | { backbonePack: string } },
): Promise<ScoreReport> {
  const t0 = Date.now();
  const { jobId } = await api.call('score.run', { categoryId: category.id, ...opts });
  const finished = await waitForJob(api, 'score', jobId);
  const result = finished.result;
  const page = await api.call('samples.list', { categoryId: category.id, sort: 'ars', limit: MAX_PAGE_ITEMS });
  const ars = page.items.map((s) => s.ars).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    scored: result?.scored ?? 0,
    kept: result?.kept ?? 0,
    selfCheck: result?.selfCheck ?? null,
    seconds: (Date.now() - t0) / 1000,
    ars: ars.length ? { min: r(ars[0]), median: r(ars[Math.floor(ars.length / 2)]), max: r(ars[ars.length - 1]) } : null,
  };
}

export interface ExportReport {
  status: Status;
  error: string | null;
  root: string | null;
  files: number;
  manifestPath: string | null;
  counts: Record<string, Record<string, number>>;
  pairs: number;
  leftOut: { breaksAlignment: number };
  real: { pairs: number; copies: number };
  /** Source images left out because they went missing or changed since the import. */
  sourceProblems: { imageId: number; file: string; reason: string }[];
}

/** `gaa export`: one training folder, written atomically. */
export async function exportAndWait(
  api: ApiClient,
  opts: { outDir: string; formats: ('mvtec' | 'folder' | 'coco' | 'yolo')[]; selection: 'kept' | 'accepted' | 'all'; realShare?: number; name: string | null },
): Promise<ExportReport> {
  const { jobId } = await api.call('export.run', opts);
  const finished = await waitForJob(api, 'export', jobId);
  const result = finished.result;
  return {
    status: finished.status,
    error: finished.error,
    root: result?.root ?? null,
    files: result?.files ?? 0,
    manifestPath: result?.manifestPath ?? null,
    counts: result?.counts ?? {},
    pairs: result?.pairs ?? 0,
    leftOut: result?.leftOut ?? { breaksAlignment: 0 },
    real: result?.real ?? { pairs: 0, copies: 0 },
    sourceProblems: result?.sourceProblems ?? [],
  };
}
