import sharp from 'sharp';
import type { Mask, Raster } from '../core/image/raster';
import { deriveSeed } from '../core/cluster';
import { exemplarGenerator } from '../core/generate/exemplar';
import type { Generator } from '../core/generate/types';
import type { MaskTransform } from '../core/masks/transform';
import { getImage } from '../store/images';
import { nowIso, stmt } from '../store/statements';
import { MAX_INPUT_PIXELS } from './import-job';
import type { JobBody } from './jobs';
import { GeneratorPool } from './generator-pool';
import { loadMask, loadRaster } from './pixels';
import type { ProjectSession } from './session';

export interface SynthParams {
  categoryId: number;
  /** null = every cluster with aligned masks. */
  clusterId: number | null;
  /** n_gen: pairs per cluster (paper: 1000); the first n aligned masks of each cluster are used. */
  perCluster: number;
  generator: 'exemplar';
  seed: number;
  blendMode: 'auto' | 'opaque' | 'mixed';
}

interface AlignedRow {
  id: number;
  cluster_id: number | null;
  cluster_name: string;
  normal_image_id: number;
  source_image_id: number | null;
  source_mask_id: number | null;
  mode: string;
  transform: string;
  blob: string;
  kind: string | null;
}

const GENERATORS: Record<SynthParams['generator'], Generator> = { exemplar: exemplarGenerator };

/** Small LRU of decoded rasters: the same normal and exemplar images recur across pairs. */
class RasterCache<T> {
  private readonly map = new Map<string, Promise<T>>();
  constructor(private readonly size: number) {}
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const p = load();
    this.map.set(key, p);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
    return p;
  }
}

export async function rasterPng(r: Raster): Promise<Buffer> {
  return sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), { raw: { width: r.width, height: r.height, channels: r.channels } })
    .toColourspace(r.channels <= 2 ? 'b-w' : 'srgb')
    .png()
    .toBuffer();
}

/**
 * The synthesis job (METHOD.md §2b), on a pool of worker threads (one per core): one generated image per aligned mask, on the mask's normal
 * image, from the mask's few-shot exemplar warped by the recorded transform. Each pair is stored
 * with full provenance as it finishes; a killed job resumes without gaps or duplicates.
 */
export function synthJob(session: ProjectSession, params: SynthParams): JobBody {
  return async (ctx) => {
    const { db, blobs } = session;
    const generator = GENERATORS[params.generator];
    const clusterFilter = params.clusterId === null ? '' : 'AND a.cluster_id = ?';
    const args = params.clusterId === null ? [params.categoryId] : [params.categoryId, params.clusterId];
    const all = stmt(
      db,
      `SELECT a.id, a.cluster_id, a.cluster_name, a.normal_image_id, a.source_image_id, a.source_mask_id, a.mode, a.transform, a.blob, c.kind
       FROM aligned_masks a LEFT JOIN clusters c ON c.id = a.cluster_id WHERE a.category_id = ? ${clusterFilter} ORDER BY a.cluster_id, a.id`,
    ).all(...args) as AlignedRow[];
    const perCluster = new Map<string, AlignedRow[]>();
    for (const r of all) {
      const list = perCluster.get(r.cluster_name) ?? [];
      if (list.length < params.perCluster) list.push(r);
      perCluster.set(r.cluster_name, list);
    }
    const rows = [...perCluster.values()].flat();
    if (rows.length === 0) throw new Error('no aligned masks: make masks first (Masks stage or `gaa masks`)');
    const shortfall = [...perCluster.entries()].filter(([, l]) => l.length < params.perCluster).map(([name, l]) => ({ cluster: name, masks: l.length }));
    ctx.setTotal(rows.length);
    const rasters = new RasterCache<Raster>(48);
    const masks = new RasterCache<Mask>(96);
    const failures: { alignedMaskId: number; reason: string }[] = [];
    let made = 0;
    const pool = new GeneratorPool();

    const processRow = async (row: AlignedRow): Promise<void> => {
      const key = `sample:${row.id}`;
      const seed = deriveSeed(params.seed, row.id);
      try {
        if (row.mode === 'combined') throw new Error('combined masks are not generated yet by the exemplar generator');
        const normalInfo = getImage(db, row.normal_image_id);
        if (!normalInfo) throw new Error(`normal image ${row.normal_image_id} is no longer in the project`);
        const normal = await rasters.get(`i${row.normal_image_id}`, () => loadRaster(normalInfo.sourcePath, MAX_INPUT_PIXELS));
        const alignedMask = await masks.get(`a${row.id}`, () => loadMask(blobs.path(row.blob)));
        const logical = row.mode === 'logical';
        let exemplar: { image: Raster; mask: Mask } | null = null;
        if (!logical) {
          const src = row.source_image_id === null ? null : getImage(db, row.source_image_id);
          const maskRow = row.source_mask_id === null ? undefined : (stmt(db, 'SELECT blob FROM masks WHERE id = ?').get(row.source_mask_id) as { blob: string } | undefined);
          if (!src || !maskRow) throw new Error('the few-shot exemplar of this mask is missing from the project');
          exemplar = {
            image: await rasters.get(`i${src.id}`, () => loadRaster(src.sourcePath, MAX_INPUT_PIXELS)),
            mask: await masks.get(`m${row.source_mask_id}`, () => loadMask(blobs.path(maskRow.blob))),
          };
        }
        const transform = logical ? null : ((JSON.parse(row.transform) as { transform: MaskTransform }).transform ?? null);
        const out = await pool.run(generator.id, {
          normal,
          alignedMask,
          transform,
          exemplar,
          kind: logical ? 'logical' : 'structural',
          blendMode: params.blendMode,
          seed,
        });
        const imageBlob = blobs.put(await rasterPng(out.image), 'png');
        if (ctx.signal.aborted) return;
        ctx.commitItem(key, 'done', () =>
          stmt(
            db,
            `INSERT OR IGNORE INTO samples (category_id, cluster_id, cluster_name, aligned_mask_id, normal_image_id, source_image_id, generator,
               generator_version, params, seed, blend_mode, image_blob, mask_blob, width, height, job_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            params.categoryId,
            row.cluster_id,
            row.cluster_name,
            row.id,
            row.normal_image_id,
            row.source_image_id,
            generator.id,
            generator.version,
            JSON.stringify({ blendMode: params.blendMode }),
            seed,
            out.blendMode,
            imageBlob,
            row.blob,
            out.image.width,
            out.image.height,
            ctx.jobId,
            nowIso(),
          ),
        );
        made++;
      } catch (err) {
        if (ctx.signal.aborted) return;
        failures.push({ alignedMaskId: row.id, reason: err instanceof Error ? err.message : String(err) });
        ctx.commitItem(key, 'failed');
      }
    };

    // Two pairs in flight per worker: one generating, one being decoded or written.
    const inFlight = new Set<Promise<void>>();
    try {
      for (const row of rows) {
        if (ctx.signal.aborted) break;
        if (ctx.finished.has(`sample:${row.id}`)) continue;
        // Already generated by an earlier job with the same generator and seed: nothing to redo.
        if (stmt(db, 'SELECT 1 FROM samples WHERE aligned_mask_id = ? AND generator = ? AND seed = ?').get(row.id, generator.id, deriveSeed(params.seed, row.id))) {
          ctx.commitItem(`sample:${row.id}`, 'skipped');
          continue;
        }
        const p: Promise<void> = processRow(row).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= pool.size * 2) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } finally {
      await pool.close();
    }
    if (ctx.signal.aborted) return null;
    return { categoryId: params.categoryId, made, failed: failures.length, failures: failures.slice(0, 500), shortfall };
  };
}
