import type { JobParams } from '../../api/jobs';
import type { ExportJobResult } from '../../api/types';
import { resolve } from 'node:path';
import { exportDataset, type ExportPair } from '../../core/export';
import { normalsToExport, recordExport } from '../../store/exports';
import type { JobBody } from '../jobs/runner';
import { AUGMENTATION_NAMES, DEFAULT_REAL_SHARE, trainingSet } from './training-set';
import type { ProjectSession } from '../session';

/**
 * One-click export (METHOD.md §6): the chosen pairs with provenance, the real few-shot pairs and
 * the normal training images, written to a temporary folder and renamed into place.
 */
/** The export job's stored parameters (contract: `jobs.export`). */
export type ExportParams = JobParams<'export'>;

export function exportJob(session: ProjectSession, params: ExportParams): JobBody<ExportJobResult> {
  return async (ctx) => {
    const { db, blobs } = session;
    // A pair that changes pixels outside its mask would teach a detector a wrong label: never
    // exported as a synthetic pair (METHOD.md §2b); the report says how many were left out.
    const set = trainingSet(db, { categoryId: params.categoryId, selection: params.selection, includeReal: params.includeReal, realShare: params.realShare ?? DEFAULT_REAL_SHARE });
    const { breaksAlignment } = set;
    const pairs: ExportPair[] = set.synthetic.map((s) => ({
      category: s.category,
      cluster: s.cluster_name,
      image: { path: blobs.path(s.image_blob) },
      mask: { path: blobs.path(s.mask_blob) },
      normalImage: s.normal_path,
      generator: `${s.generator}@${s.generator_version}`,
      seed: s.seed,
      ars: s.ars,
      source: 'synthetic',
      outsideChange: s.outside_change_max === null ? null : { max: s.outside_change_max, overTolerance: s.outside_over ?? 0 },
      provenance: {
        sampleId: s.id,
        blendMode: s.blend_mode,
        region: s.region,
        mode: s.mode,
        sourceImageId: s.source_image_id,
        transform: JSON.parse(s.transform) as unknown,
        draws: s.draws === null ? null : (JSON.parse(s.draws) as unknown),
      },
    }));
    // The real few-shot pairs, each once as it is and then in flipped copies up to the share.
    for (const { pair: r, augmentation } of set.real) {
      const orientation = { mirror: augmentation === 1 || augmentation === 3, flip: augmentation === 2 || augmentation === 3 };
      pairs.push({
        category: r.category,
        cluster: r.cluster ?? r.defect_type,
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
    const normals = params.includeNormals ? normalsToExport(db, params.categoryId).map((n) => ({ category: n.category, path: n.path })) : [];
    if (pairs.length === 0 && normals.length === 0) throw new Error('nothing to export with this selection');
    ctx.message(`Exporting ${pairs.length} pairs and ${normals.length} normal images`);
    let total = 0;
    const result = await exportDataset(
      {
        outDir: resolve(params.outDir),
        name: params.name ?? undefined,
        formats: params.formats,
        pairs,
        normals,
        parameters: {
          selection: params.selection,
          includeReal: params.includeReal,
          realShare: params.realShare ?? DEFAULT_REAL_SHARE,
          includeNormals: params.includeNormals,
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
    recordExport(db, { root: result.root, formats: params.formats, files: result.files });
    return {
      root: result.root,
      files: result.files,
      manifestPath: result.manifestPath,
      counts: result.counts,
      pairs: pairs.length,
      normals: normals.length,
      leftOut: { breaksAlignment },
      real: { pairs: set.realPairs, copies: set.real.length },
    };
  };
}
