import { resolve } from 'node:path';
import { exportDataset, type ExportFormat, type ExportPair } from '../core/export';
import { nowIso, stmt } from '../store/statements';
import type { JobBody } from './jobs';
import type { ProjectSession } from './session';

export interface ExportParams {
  outDir: string;
  name: string | null;
  formats: ExportFormat[];
  /** kept: the filter's choice unless the user rejected it, plus what the user accepted; accepted: only what the user accepted; all: every pair. */
  selection: 'kept' | 'accepted' | 'all';
  includeReal: boolean;
  includeNormals: boolean;
  categoryId: number | null;
}

/**
 * One-click export (METHOD.md §6): the chosen pairs with provenance, the real few-shot pairs and
 * the normal training images, written to a temporary folder and renamed into place.
 */
export function exportJob(session: ProjectSession, params: ExportParams): JobBody {
  return async (ctx) => {
    const { db, blobs } = session;
    const catFilter = params.categoryId === null ? '' : 'AND s.category_id = @categoryId';
    const select =
      params.selection === 'accepted'
        ? "s.decision = 'accepted'"
        : params.selection === 'kept'
          ? "(s.decision = 'accepted' OR (s.decision IS NULL AND s.kept = 1))"
          : "(s.decision IS NULL OR s.decision != 'rejected')";
    const samples = db
      .prepare(
        `SELECT s.*, c.name AS category, n.source_path AS normal_path, a.transform, a.region, a.mode
         FROM samples s JOIN categories c ON c.id = s.category_id JOIN images n ON n.id = s.normal_image_id
         JOIN aligned_masks a ON a.id = s.aligned_mask_id WHERE ${select} ${catFilter} ORDER BY c.name, s.cluster_name, s.id`,
      )
      .all({ categoryId: params.categoryId }) as {
      id: number;
      category: string;
      cluster_name: string;
      image_blob: string;
      mask_blob: string;
      normal_path: string;
      generator: string;
      generator_version: string;
      seed: number;
      ars: number | null;
      blend_mode: string;
      transform: string;
      region: string | null;
      mode: string;
      source_image_id: number | null;
      outside_change_max: number | null;
      outside_over: number | null;
      draws: string | null;
    }[];
    // A pair that changes pixels outside its mask would teach a detector a wrong label: never
    // exported as a synthetic pair (METHOD.md §2b); the report says how many were left out.
    const breaksAlignment = samples.filter((s) => (s.outside_over ?? 0) > 0).length;
    const pairs: ExportPair[] = samples.filter((s) => (s.outside_over ?? 0) === 0).map((s) => ({
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
    const imgFilter = params.categoryId === null ? '' : 'AND i.category_id = @categoryId';
    if (params.includeReal) {
      const real = db
        .prepare(
          `SELECT i.id, i.source_path, c.name AS category, i.defect_type, m.blob, cm.cluster_id, cl.name AS cluster
           FROM images i JOIN categories c ON c.id = i.category_id JOIN masks m ON m.image_id = i.id AND m.role = 'union'
           LEFT JOIN cluster_members cm ON cm.image_id = i.id LEFT JOIN clusters cl ON cl.id = cm.cluster_id
           WHERE i.kind = 'anomaly' AND i.split = 'fewshot' AND i.has_error = 0 ${imgFilter} ORDER BY c.name, i.rel_path`,
        )
        .all({ categoryId: params.categoryId }) as { id: number; source_path: string; category: string; defect_type: string; blob: string; cluster: string | null }[];
      for (const r of real) {
        pairs.push({
          category: r.category,
          cluster: r.cluster ?? r.defect_type,
          image: { path: r.source_path },
          mask: { path: blobs.path(r.blob) },
          normalImage: null,
          generator: 'real',
          seed: null,
          ars: null,
          source: 'real',
          provenance: { imageId: r.id, sourceImage: r.source_path },
        });
      }
    }
    const normals = params.includeNormals
      ? (
          db
            .prepare(
              `SELECT i.source_path AS path, c.name AS category FROM images i JOIN categories c ON c.id = i.category_id
               WHERE i.kind = 'normal' AND i.split = 'train' AND i.has_error = 0 ${imgFilter} ORDER BY c.name, i.rel_path`,
            )
            .all({ categoryId: params.categoryId }) as { path: string; category: string }[]
        ).map((n) => ({ category: n.category, path: n.path }))
      : [];
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
        parameters: { selection: params.selection, includeReal: params.includeReal, includeNormals: params.includeNormals, project: session.dir },
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
    stmt(db, 'INSERT INTO exports (root, formats, files, created_at) VALUES (?, ?, ?, ?)').run(result.root, JSON.stringify(params.formats), result.files, nowIso());
    return {
      root: result.root,
      files: result.files,
      manifestPath: result.manifestPath,
      counts: result.counts,
      pairs: pairs.length,
      normals: normals.length,
      leftOut: { breaksAlignment },
    };
  };
}
