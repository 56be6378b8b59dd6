import type { JobParams } from '../../api/jobs';
import type { ExportJobResult, ExportLeftOut, ExportPreviewInfo } from '../../api/types';
import { existsSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { previewExport, type ExportPair } from '../../core/export';
import { exportDataset } from '../../io/export-writer';
import { fewShotPairsToExport, isRecordedExport, normalsToExport, recordExport, syntheticPairCount } from '../../store/exports';
import type { JobBody } from '../jobs/runner';
import { DEFAULT_REAL_SHARE } from '../../api/limits';
import { AUGMENTATION_NAMES, trainingSet } from './training-set';
import type { ProjectSession } from '../session';
import { checkSources, type RecordedSource } from './source-check';

/** The export job's stored parameters (contract: `jobs.export`). */
export type ExportParams = JobParams<'export'>;

/** What an export writes: the chosen pairs, the normal images, and how many pairs it leaves out and why. */
export interface ExportPlan {
  pairs: ExportPair[];
  normals: { category: string; path: string }[];
  heldOutNormals: { category: string; path: string }[];
  leftOut: ExportLeftOut;
  /** The real few-shot pairs and the copies of them written (flipped, up to the real share). */
  real: { pairs: number; copies: number };
  /** Synthetic pairs written, and how many the project's categories in scope hold. */
  synthetic: { pairs: number; inProject: number };
  /** What the user must hear about this export (one that leaves out every synthetic pair, above all). */
  warnings: string[];
  /** The dataset files the export copies, with what the import recorded of each (source-check.ts). */
  sources: Map<string, RecordedSource>;
}

type ExportChoices = Omit<ExportParams, 'outDir' | 'name'>;

/** The preview of an export with these choices (no destination needed): counts per cluster and format. */
export function exportPreview(session: ProjectSession, params: ExportChoices): ExportPreviewInfo {
  const plan = exportPlan(session, params);
  return {
    ...previewExport({ formats: params.formats, pairs: plan.pairs, normals: plan.normals, heldOutNormals: plan.heldOutNormals }),
    leftOut: plan.leftOut,
    warnings: plan.warnings,
    synthetic: plan.synthetic,
    pairs: plan.pairs.length,
    normals: plan.normals.length,
    heldOutNormals: plan.heldOutNormals.length,
  };
}

/** Whether `root` is the folder of an export this project wrote (the only folders export.openFolder opens). */
export function isExportRoot(session: ProjectSession, root: string): boolean {
  return isRecordedExport(session.db, resolve(root));
}

/**
 * One-click export (METHOD.md §6): the chosen pairs with provenance, the real few-shot pairs, the
 * normal training images and the held-out normal ones (test/good), written to a temporary folder
 * and renamed into place.
 */
export function exportJob(session: ProjectSession, params: ExportParams): JobBody<ExportJobResult> {
  return async (ctx) => {
    const plan = exportPlan(session, params);
    // Each source is hashed again: a missing or changed one is left out and reported, the rest exported.
    const problems = await checkSources(plan.sources, ctx.signal);
    const usable = (path: string) => !problems.has(path);
    const realPath = (p: ExportPair) => (p.source === 'real' && 'path' in p.image ? p.image.path : null);
    const pairs = plan.pairs.filter((p) => {
      const path = realPath(p);
      return path === null || usable(path);
    });
    const normals = plan.normals.filter((n) => usable(n.path));
    const heldOutNormals = plan.heldOutNormals.filter((n) => usable(n.path));
    const { leftOut, synthetic, warnings } = plan;
    const realPaths = pairs.map(realPath).filter((p) => p !== null);
    const real = { pairs: new Set(realPaths).size, copies: realPaths.length };
    if (problems.size > 0) ctx.message(`${problems.size} source image(s) missing or changed since the import: left out`);
    if (pairs.length === 0 && normals.length === 0 && heldOutNormals.length === 0) throw new Error('nothing to export with this selection');
    for (const w of warnings) ctx.message(`Warning: ${w}`);
    ctx.message(`Exporting ${pairs.length} pairs and ${normals.length + heldOutNormals.length} normal images`);
    let total = 0;
    const destination = params.exact ? exactDestination(params.outDir) : { outDir: resolve(params.outDir), name: params.name ?? undefined };
    const result = await exportDataset(
      {
        ...destination,
        formats: params.formats,
        pairs,
        normals,
        heldOutNormals,
        parameters: {
          selection: params.selection,
          includeReal: params.includeReal,
          realShare: params.realShare ?? DEFAULT_REAL_SHARE,
          minContrast: params.minContrast ?? 0,
          includeNormals: params.includeNormals,
          includeHeldOutNormals: params.includeHeldOutNormals ?? false,
          layout: params.layout ?? 'cluster',
          project: session.dir,
        },
      },
      {
        signal: ctx.signal,
        onProgress: (done, t) => {
          if (total === 0) {
            total = t;
            ctx.setTotal(t);
          }
          ctx.progress(done);
        },
      },
    );
    recordExport(session.db, { root: result.root, formats: params.formats, files: result.files });
    return {
      root: result.root,
      files: result.files,
      manifestPath: result.manifestPath,
      counts: result.counts,
      pairs: pairs.length,
      normals: normals.length,
      heldOutNormals: heldOutNormals.length,
      leftOut,
      real,
      synthetic,
      warnings,
      sourceProblems: [...problems.values()],
    };
  };
}

/**
 * `exact`: the export goes into outDir itself. It must be absent or empty; an empty one is removed
 * so that the finished staging folder is renamed into its place, as any export is.
 */
function exactDestination(outDir: string): { outDir: string; name: string } {
  const target = resolve(outDir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new Error(`${target} is not a folder`);
    const inside = readdirSync(target);
    if (inside.length > 0) throw new Error(`${target} is not empty (${inside.length} entries): an exact export writes only into an empty or new folder`);
    rmdirSync(target);
  }
  if (dirname(target) === target) throw new Error('an exact export cannot replace the root of the file system');
  return { outDir: dirname(target), name: basename(target) };
}

/** Per category and cluster name, the defect type most of its few-shot members were imported as (ties: first by name). */
function clusterDefectTypes(real: readonly { category: string; cluster: string | null; defect_type: string }[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of real) {
    if (r.cluster === null) continue;
    const key = `${r.category}\u0000${r.cluster}`;
    const m = counts.get(key) ?? new Map<string, number>();
    m.set(r.defect_type, (m.get(r.defect_type) ?? 0) + 1);
    counts.set(key, m);
  }
  const out = new Map<string, string>();
  for (const [key, m] of counts) out.set(key, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);
  return out;
}

/** The pairs and normal images an export with these choices writes, read from the project (training-set.ts decides the pairs). */
export function exportPlan(session: ProjectSession, params: ExportChoices): ExportPlan {
  const { db, blobs } = session;
  // A pair that changes pixels outside its mask would teach a detector a wrong label: never
  // exported as a synthetic pair (METHOD.md §2b); the report says how many were left out.
  const set = trainingSet(db, { categoryId: params.categoryId, selection: params.selection, includeReal: params.includeReal, realShare: params.realShare ?? DEFAULT_REAL_SHARE, minContrast: params.minContrast ?? 0 });
  const byType = (params.layout ?? 'cluster') === 'defect-type';
  // A synthetic pair is of the defect type of the exemplar it was made from; a logical one has no
  // exemplar: its cluster's most common imported type (its cluster's name when it has no member).
  const clusterType = clusterDefectTypes(fewShotPairsToExport(db, params.categoryId));
  const pairs: ExportPair[] = set.synthetic.map((s) => {
    const defectType = s.source_defect_type ?? clusterType.get(`${s.category}\u0000${s.cluster_name}`) ?? null;
    return {
      category: s.category,
      cluster: s.cluster_name,
      defectType,
      folder: byType ? (defectType ?? s.cluster_name) : s.cluster_name,
      image: { path: blobs.path(s.image_blob) },
      mask: { path: blobs.path(s.mask_blob) },
      normalImage: s.normal_path,
      generator: `${s.generator}@${s.generator_version}`,
      seed: s.seed,
      ars: s.ars,
      source: 'synthetic',
      outsideChange: s.outside_change_max === null ? null : { max: s.outside_change_max, overTolerance: s.outside_over ?? 0 },
      insideVisible: s.inside_visible,
      contrastRatio: s.contrast_ratio,
      provenance: {
        sampleId: s.id,
        blendMode: s.blend_mode,
        region: s.region,
        mode: s.mode,
        sourceImageId: s.source_image_id,
        transform: JSON.parse(s.transform) as unknown,
        draws: s.draws === null ? null : (JSON.parse(s.draws) as unknown),
      },
    };
  });
  // The real few-shot pairs, each once as it is and then in flipped copies up to the share.
  for (const { pair: r, augmentation } of set.real) {
    const orientation = { mirror: augmentation === 1 || augmentation === 3, flip: augmentation === 2 || augmentation === 3 };
    pairs.push({
      category: r.category,
      cluster: r.cluster ?? r.defect_type,
      defectType: r.defect_type,
      folder: byType ? r.defect_type : (r.cluster ?? r.defect_type),
      image: { path: r.source_path, ...orientation },
      mask: { path: blobs.path(r.blob), ...orientation },
      normalImage: null,
      generator: 'real',
      seed: null,
      ars: null,
      source: 'real',
      provenance: { imageId: r.id, sourceImage: r.source_path, augmentation: AUGMENTATION_NAMES[augmentation] },
    });
  }
  const sources = new Map<string, RecordedSource>();
  for (const { pair: r } of set.real) sources.set(r.source_path, { imageId: r.id, hash: r.hash });
  const normalsOf = (split: 'train' | 'test') =>
    normalsToExport(db, params.categoryId, split).map((n) => {
      sources.set(n.path, { imageId: n.id, hash: n.hash });
      return { category: n.category, path: n.path };
    });
  const inProject = syntheticPairCount(db, params.categoryId);
  const warnings: string[] = [];
  if (set.synthetic.length === 0 && inProject > 0) {
    const why =
      params.selection === 'accepted'
        ? `none of the ${inProject} generated pairs was accepted by hand (selection "accepted"); export the filter's choice with selection "kept"`
        : params.selection === 'kept'
          ? `none of the ${inProject} generated pairs is kept by the filter or accepted (run the filter, or export selection "all")`
          : `all ${inProject} generated pairs were rejected by hand`;
    warnings.push(
      set.leftOut.breaksAlignment > 0 || set.leftOut.invisible > 0
        ? `this export holds no synthetic pairs: of the selected, ${set.leftOut.breaksAlignment} change pixels outside their masks and ${set.leftOut.invisible} show no visible defect inside them, and all are left out`
        : `this export holds no synthetic pairs: ${why}`,
    );
  }
  return {
    pairs,
    normals: params.includeNormals ? normalsOf('train') : [],
    heldOutNormals: params.includeHeldOutNormals ? normalsOf('test') : [],
    leftOut: set.leftOut,
    real: { pairs: set.realPairs, copies: set.real.length },
    synthetic: { pairs: set.synthetic.length, inProject },
    warnings,
    sources,
  };
}
