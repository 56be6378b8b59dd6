import type { Engine } from '../engine/engine';
import type { ScorerSelfCheck } from '../api/types';

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
  engine: Engine,
  category: { id: number; name: string },
  opts: { clusterId: number | null; perCluster: number; seed: number },
  /** The diffusion generator's pack and settings (METHOD.md §2); absent = the exemplar generator. */
  diffusion?: { sd15Pack: string; steps?: number; guidance?: number },
): Promise<SynthReport> {
  const t0 = Date.now();
  const generator = diffusion ? 'diffusion' : 'exemplar';
  const { jobId } = await engine.call('synth.run', { categoryId: category.id, ...opts, generator, ...diffusion });
  const finished = await engine.waitForJob(jobId);
  const seconds = (Date.now() - t0) / 1000;
  const result = (engine.jobResult(jobId) ?? {}) as { made?: number; failures?: SynthReport['failed']; shortfall?: SynthReport['shortfall'] };
  const samples: SynthReport['samples'] = [];
  for (let offset = 0; ; offset += 2000) {
    const page = await engine.call('samples.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: 2000 });
    for (const s of page.items) {
      samples.push({
        id: s.id,
        image: (await engine.resolveImage(`sample/${s.id}`))?.filePath ?? '',
        mask: engine.alignedMaskFile(s.alignedMaskId) ?? '',
        cluster: s.cluster,
        seed: s.seed,
        blendMode: s.blendMode,
      });
    }
    if (samples.length >= page.total || page.items.length === 0) break;
  }
  const made = result.made ?? 0;
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    generator,
    made,
    failed: result.failures ?? [],
    shortfall: result.shortfall ?? [],
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
  engine: Engine,
  category: { id: number; name: string },
  opts: { epochs: number; keep: number; seed: number; maxTrainImages: number; batchImages?: number; patchFraction?: number; extractor?: 'handcrafted' | { backbonePack: string } },
): Promise<ScoreReport> {
  const t0 = Date.now();
  const { jobId } = await engine.call('score.run', { categoryId: category.id, ...opts });
  const finished = await engine.waitForJob(jobId);
  const result = (engine.jobResult(jobId) ?? {}) as { scored?: number; kept?: number; selfCheck?: ScoreReport['selfCheck'] };
  const page = await engine.call('samples.list', { categoryId: category.id, sort: 'ars', limit: 2000 });
  const ars = page.items.map((s) => s.ars).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    scored: result.scored ?? 0,
    kept: result.kept ?? 0,
    selfCheck: result.selfCheck ?? null,
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
}

/** `gaa export`: one training folder, written atomically. */
export async function exportAndWait(
  engine: Engine,
  opts: { outDir: string; formats: ('mvtec' | 'folder' | 'coco' | 'yolo')[]; selection: 'kept' | 'accepted' | 'all'; name: string | null },
): Promise<ExportReport> {
  const { jobId } = await engine.call('export.run', opts);
  const finished = await engine.waitForJob(jobId);
  const result = (engine.jobResult(jobId) ?? {}) as Partial<ExportReport>;
  return {
    status: finished.status,
    error: finished.error,
    root: result.root ?? null,
    files: result.files ?? 0,
    manifestPath: result.manifestPath ?? null,
    counts: result.counts ?? {},
  };
}
