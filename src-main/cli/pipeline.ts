import { MAX_PAGE_ITEMS, type ApiClient } from '../api/contract';
import type { ExportLeftOut, ExportSelection, KeepSummary, ScorerSelfCheck } from '../api/types';
import type { Allocation } from '../core/masks/allocation';
import { smallClusterWarnings } from './clusters';
import { waitForJob } from './jobs';
import { allocationOf, masksAndWait, type AllocationReport, type MasksReport } from './regions-masks';

type Status = 'done' | 'failed' | 'cancelled';

export interface SynthReport {
  category: string;
  status: Status;
  error: string | null;
  generator: string;
  /** Pairs this run generated. */
  made: number;
  /** Pairs of the masks this run covered that exist now (this run's and earlier ones). */
  total: number;
  /** Pairs the category (or the cluster) holds now, whatever made them. */
  inCategory: number;
  /** How the pairs were shared over the clusters (a total by allocation, or up to --per-cluster each). */
  allocation: AllocationReport;
  /** Set when synth had to make the aligned masks first (none existed): that masks run. */
  masksMadeFirst: MasksReport | null;
  warnings: string[];
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
  opts: { clusterId: number | null; perCluster: number; seed: number; total?: number; allocation?: Allocation },
  /** The diffusion generator's pack and settings (METHOD.md §2); absent = the exemplar generator. */
  diffusion?: { sd15Pack: string; steps?: number; guidance?: number },
  /** With no aligned masks in scope, make them first (this many, shared so) instead of failing; told on `log`. */
  makeMasks?: { how: { total: number; allocation: Allocation } | { perCluster: number }; log: (line: string) => void },
): Promise<SynthReport> {
  const t0 = Date.now();
  const generator = diffusion ? 'diffusion' : 'exemplar';
  let masksMadeFirst: MasksReport | null = null;
  if (makeMasks && (await api.call('masks.list', { categoryId: category.id, clusterId: opts.clusterId, limit: 1 })).total === 0) {
    const n = 'perCluster' in makeMasks.how ? `${makeMasks.how.perCluster} per cluster` : `${makeMasks.how.total}, shared ${makeMasks.how.allocation === 'equal' ? 'equally' : 'by cluster size'}`;
    makeMasks.log(`gaa: ${category.name} has no aligned masks yet: making them first (${n}; run \`gaa masks\` yourself to choose)\n`);
    masksMadeFirst = await masksAndWait(api, category, { clusterId: opts.clusterId, seed: opts.seed, ...makeMasks.how });
    if (masksMadeFirst.status !== 'done') throw new Error(`making the aligned masks failed: ${masksMadeFirst.error ?? masksMadeFirst.status}`);
  }
  const allocation = await allocationOf(
    api,
    category.id,
    opts.clusterId,
    opts.total !== undefined ? { total: opts.total, allocation: opts.allocation ?? 'proportional' } : { perCluster: opts.perCluster },
  );
  const { jobId } = await api.call('synth.run', { categoryId: category.id, ...opts, generator, ...diffusion });
  const finished = await waitForJob(api, 'synth', jobId);
  const seconds = (Date.now() - t0) / 1000;
  const result = finished.result;
  const samples: SynthReport['samples'] = [];
  let inCategory = 0;
  for (let offset = 0; ; offset += MAX_PAGE_ITEMS) {
    const page = await api.call('samples.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: MAX_PAGE_ITEMS });
    inCategory = page.total;
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
    total: result?.total ?? made,
    inCategory,
    allocation,
    masksMadeFirst,
    warnings: smallClusterWarnings(allocation.clusters),
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
  /** Kept over every cluster (the filter keeps up to keepPerCluster in each). */
  kept: number;
  keepPerCluster: number;
  /** Kept per cluster and per blend mode. */
  keep: KeepSummary | null;
  warnings: string[];
  selfCheck: ScorerSelfCheck | null;
  seconds: number;
  ars: { min: number; median: number; max: number } | null;
}

/** `gaa score`: trains the category's scorer, scores every pair, keeps the best per cluster. */
export async function scoreAndWait(
  api: ApiClient,
  category: { id: number; name: string },
  opts: { epochs: number; keep: number; seed: number; maxTrainImages: number; batchImages?: number; patchFraction?: number; extractor?: 'handcrafted' | { backbonePack: string }; model?: 'auto' | 'simplenet' | 'gaussian' | 'padim' },
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
    keepPerCluster: opts.keep,
    keep: result?.keep ?? null,
    warnings: result?.keep ? keepWarnings(result.keep) : [],
    selfCheck: result?.selfCheck ?? null,
    seconds: (Date.now() - t0) / 1000,
    ars: ars.length ? { min: r(ars[0]), median: r(ars[Math.floor(ars.length / 2)]), max: r(ars[ars.length - 1]) } : null,
  };
}

/**
 * What a user must hear about a filter: that it kept every pair (the count is per cluster, and
 * at least as large as each cluster), or that it keeps one blend mode far more than another.
 */
export function keepWarnings(k: KeepSummary): string[] {
  const out: string[] = [];
  if (k.total > 0 && k.kept === k.total && k.keepPerCluster !== null) {
    out.push(`the filter kept every pair (${k.kept} of ${k.total}): it keeps up to ${k.keepPerCluster} per cluster and no cluster has more; choose a smaller --keep-per-cluster`);
  }
  const modes = k.perBlendMode.filter((m) => m.pairs >= 5);
  if (modes.length >= 2) {
    const hi = modes.reduce((a, b) => (b.share > a.share ? b : a));
    const lo = modes.reduce((a, b) => (b.share < a.share ? b : a));
    if (hi.share - lo.share >= 0.25) {
      out.push(
        `the filter favours ${hi.blendMode} pairs: it kept ${(100 * hi.share).toFixed(0)} % of them (${hi.kept} of ${hi.pairs}) but ${(100 * lo.share).toFixed(0)} % of ${lo.blendMode} ones (${lo.kept} of ${lo.pairs}); review the dropped ones`,
      );
    }
  }
  return out;
}

export interface ExportReport {
  status: Status;
  error: string | null;
  root: string | null;
  files: number;
  manifestPath: string | null;
  counts: Record<string, Record<string, number>>;
  pairs: number;
  /** Pairs left out by reason, with the per-cluster breakdown (the Export screen's figures). */
  leftOut: ExportLeftOut;
  real: { pairs: number; copies: number };
  synthetic: { pairs: number; inProject: number };
  /** e.g. an export that holds no synthetic pair; also written to stderr. */
  warnings: string[];
  /** Source images left out because they went missing or changed since the import. */
  sourceProblems: { imageId: number; file: string; reason: string }[];
}

/** `gaa export`: one training folder, written atomically. */
export async function exportAndWait(
  api: ApiClient,
  opts: {
    outDir: string;
    formats: ('mvtec' | 'folder' | 'coco' | 'yolo')[];
    selection: ExportSelection;
    realShare?: number;
    /** Leave out pairs under this share of their cluster's median exemplar contrast (0 = none). */
    minContrast?: number;
    name: string | null;
    layout?: 'defect-type' | 'cluster';
    exact?: boolean;
    /** One category; absent or null = every category. */
    categoryId?: number | null;
  },
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
    leftOut: result?.leftOut ?? { breaksAlignment: 0, invisible: 0, stale: 0, unscored: 0, byCluster: [] },
    real: result?.real ?? { pairs: 0, copies: 0 },
    synthetic: result?.synthetic ?? { pairs: 0, inProject: 0 },
    warnings: result?.warnings ?? [],
    sourceProblems: result?.sourceProblems ?? [],
  };
}
