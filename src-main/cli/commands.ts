import { MAX_PAGE_ITEMS, type ApiClient } from '../api/contract';
import type { DatasetLayout, ItemError, JobInfo, ProjectInfo } from '../api/types';
import { waitForJob } from './jobs';

export interface ImportReport {
  project: string;
  source: string;
  layout: DatasetLayout;
  jobId: number;
  status: 'done' | 'failed' | 'cancelled';
  resumed: boolean;
  imported: number;
  duplicates: number;
  failed: number;
  errors: { file: string; reason: string }[];
  error: string | null;
  info: ProjectInfo;
}

/**
 * Imports a dataset and waits for the job. An interrupted import of the same source is
 * resumed rather than started again, so a killed `gaa import` can simply be re-run.
 */
export async function importAndWait(api: ApiClient, source: string, layout: DatasetLayout): Promise<ImportReport> {
  const jobs = await api.call('jobs.list', {});
  const unfinished = jobs.find(
    (j: JobInfo) => j.kind === 'import' && j.params.source === source && ['interrupted', 'cancelled', 'failed'].includes(j.status),
  );
  const { jobId } = unfinished
    ? await api.call('jobs.resume', { jobId: unfinished.id })
    : await api.call('dataset.import', { source, layout });
  const finished = await waitForJob(api, 'import', jobId);
  const result = finished.result;
  const errors = await allErrors(api);
  const info = await api.call('project.info', {});
  return {
    project: info.dir,
    source,
    layout: result?.layout ?? layout,
    jobId,
    status: finished.status,
    resumed: Boolean(unfinished),
    imported: result?.imported ?? 0,
    duplicates: result?.duplicates ?? 0,
    failed: errors.length,
    errors: errors.map((e) => ({ file: e.file, reason: e.reason })),
    error: finished.error,
    info,
  };
}

async function allErrors(api: ApiClient): Promise<ItemError[]> {
  const out: ItemError[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_ITEMS) {
    const page = await api.call('dataset.errors', { offset, limit: MAX_PAGE_ITEMS });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

export interface InfoReport {
  project: ProjectInfo;
  categories: {
    name: string;
    normal: number;
    anomaly: number;
    masks: number;
    defectTypes: { defectType: string; anomaly: number; masks: number; fewShot: number; heldOut: number }[];
    fewShotSplit: { seed: number; fewShot: number; heldOut: number };
  }[];
  errors: { file: string; reason: string; imageId: number | null }[];
}

/** `gaa info`: counts per category and type, the few-shot split, every per-item error. */
export async function projectReport(api: ApiClient): Promise<InfoReport> {
  const project = await api.call('project.info', {});
  const errors = await allErrors(api);
  return {
    project,
    categories: project.categories.map((c) => ({
      name: c.name,
      normal: c.counts.normal,
      anomaly: c.counts.anomaly,
      masks: c.counts.masks,
      defectTypes: c.defectTypes,
      fewShotSplit: { seed: c.splitSeed, fewShot: c.counts.fewShot, heldOut: c.counts.heldOut },
    })),
    errors: errors.map((e) => ({ file: e.file, reason: e.reason, imageId: e.imageId })),
  };
}

export interface ClusterReport {
  category: string;
  categoryId: number;
  k: number;
  rounds: number;
  status: 'done' | 'failed' | 'cancelled';
  error: string | null;
  clusters: {
    id: number;
    name: string;
    size: number;
    locked: boolean;
    kind: string;
    members: { imageId: number; path: string; maskPath: string; coarseType: string }[];
    ch: number | null;
    db: number | null;
  }[];
  curve: { k: number; ch: number; db: number; score: number }[];
  failed: { file: string; reason: string }[];
}

/** Resolves --category (a name) to an id; with one category the flag may be left out. */
export async function resolveCategory(api: ApiClient, name: string | undefined): Promise<{ id: number; name: string }> {
  const info = await api.call('project.info', {});
  if (name === undefined) {
    if (info.categories.length === 1) return info.categories[0];
    throw new Error(`this project has ${info.categories.length} categories; choose one with --category (${info.categories.map((c) => c.name).join(', ')})`);
  }
  const found = info.categories.find((c) => c.name === name);
  if (!found) throw new Error(`no category "${name}" in this project (it has: ${info.categories.map((c) => c.name).join(', ') || 'none'})`);
  return found;
}

/** `gaa cluster`: runs AMFC on a category and reports the clusters with their members' files. */
export async function clusterAndWait(
  api: ApiClient,
  category: { id: number; name: string },
  opts: { perType: boolean; rounds: number; seed: number; backbonePack?: string },
): Promise<ClusterReport> {
  const { jobId } = await api.call('clusters.run', { categoryId: category.id, ...opts });
  const finished = await waitForJob(api, 'cluster', jobId);
  const state = await api.call('clusters.get', { categoryId: category.id });
  const clusters = [];
  for (const c of state.clusters) {
    const members = [];
    for (const m of c.members) {
      const img = await api.call('dataset.image', { imageId: m.imageId });
      const mask = img.masks.find((x) => x.id === m.maskId);
      members.push({ imageId: m.imageId, path: img.sourcePath, maskPath: mask?.sourcePath ?? mask?.file ?? '', coarseType: m.defectType });
    }
    clusters.push({ id: c.id, name: c.name, size: c.size, locked: c.locked, kind: c.kind, members, ch: c.ch, db: c.db });
  }
  return {
    category: category.name,
    categoryId: category.id,
    k: state.clusters.length,
    rounds: state.run?.rounds ?? 0,
    status: finished.status,
    error: finished.error,
    clusters,
    curve: state.run?.curve ?? [],
    failed: finished.result?.failed ?? [],
  };
}
