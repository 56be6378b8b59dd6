/** masks.*: region-aligned anomaly masks (RAMS, METHOD.md §3). */
import { ApiError } from '../../api/errors';
import type { PlacementInfo } from '../../api/types';
import { densityGrid } from '../../core/masks/placement-prior';
import { listAlignedMasks } from '../../store/aligned-masks';
import { clusterState } from '../../store/clusters';
import type { EngineContext, NamespaceHandlers } from '../context';
import { clusterPlacementPrior, frameOf, keepsOutlineRelation, type MasksParams } from './job';
import { implicitRegion } from '../../core/regions';
import { getImage } from '../../store/images';
import { loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import { allocateCounts, type Allocation } from '../../core/masks/allocation';
import { PromiseLru } from '../promise-lru';

/** A total shared over the clusters in scope (one cluster, or every one with members), keyed by cluster id. */
export function clusterCounts(clusters: readonly { id: number; size: number }[], clusterId: number | null, total: number, allocation: Allocation): Record<string, number> {
  const scope = clusters.filter((c) => (clusterId === null || c.id === clusterId) && c.size > 0);
  const counts = allocateCounts(total, scope.map((c) => c.size), allocation);
  return Object.fromEntries(scope.map((c, i) => [String(c.id), counts[i]]));
}
import { masksPlan } from './plan';
import { staleMasks, staleSummary } from './provenance';
import { maskProvenance, newestSynthParams, removeAlignedMasks } from '../../store/provenance';

/** Cells of the density grid the Masks screen draws over the frame. */
const GRID = 48;

export function masksHandlers(ctx: EngineContext): NamespaceHandlers<'masks'> {
  // Every cluster card of the Masks screen asks for its density over the same backdrop image at
  // once: the image is decoded and its frame found once, keyed by the file and its content.
  const frames = new PromiseLru<PlacementInfo['backdropFrame']>(32);
  return {
    'masks.generate': (a) => {
      const categoryId = ctx.category(a.categoryId);
      const params: MasksParams = { categoryId, clusterId: a.clusterId, count: a.count, seed: a.seed };
      if (a.total !== undefined) params.counts = clusterCounts(clusterState(ctx.session().db, categoryId).clusters, a.clusterId, a.total, a.allocation);
      return ctx.startJob('masks', params);
    },
    'masks.stale': (a) => staleSummary(ctx.session().db, ctx.category(a.categoryId)),
    'masks.redoStale': (a) => {
      const { db } = ctx.session();
      const categoryId = ctx.category(a.categoryId);
      const stale = staleMasks(db, categoryId);
      const ownIds = maskProvenance(db, categoryId).filter((m) => m.clusterId === a.clusterId).map((m) => m.id);
      const own = ownIds.length;
      const ids = ownIds.filter((id) => stale.has(id));
      if (ids.length === 0) return { removedMasks: 0, removedPairs: 0, masksJobId: null, synthJobId: null };
      // The pairs are made again as the cluster's newest pair was: its job's seed and blend mode.
      const last = newestSynthParams(db, categoryId, a.clusterId);
      // The stale masks go with their pairs; the cluster is filled back to as many masks as it had.
      const removedPairs = removeAlignedMasks(db, ids);
      const masksJobId = ctx.startJob('masks', { categoryId, clusterId: a.clusterId, count: own, seed: 0 }).jobId;
      const synthJobId =
        removedPairs > 0
          ? ctx.startJob('synth', { categoryId, clusterId: a.clusterId, perCluster: own, generator: 'exemplar', seed: last?.seed ?? 0, blendMode: last?.blendMode ?? 'auto' }).jobId
          : null;
      return { removedMasks: ids.length, removedPairs, masksJobId, synthJobId };
    },
    'masks.plan': (a) => masksPlan(ctx.session().db, { ...a, categoryId: ctx.category(a.categoryId) }),
    'masks.placement': async (a) => {
      const session = ctx.session();
      const cluster = clusterState(session.db, ctx.category(a.categoryId)).clusters.find((c) => c.id === a.clusterId);
      if (!cluster) throw new ApiError('not_found', `no cluster ${a.clusterId} in this category`);
      if (cluster.members.length === 0) throw new ApiError('bad_request', `cluster "${cluster.name}" has no members`);
      const { prior, placements, unreadable } = await clusterPlacementPrior(session, cluster.members);
      return {
        clusterId: cluster.id,
        bandwidth: prior.bandwidth,
        oriented: prior.oriented,
        exemplars: placements.map((p) => ({
          imageId: p.imageId,
          x: p.placement.centroid[0],
          y: p.placement.centroid[1],
          axis: p.placement.axis,
          onOutline: keepsOutlineRelation(cluster.rule) && (p.placement.edge?.inward ?? null) !== null,
        })),
        grid: { cols: GRID, rows: GRID, values: Array.from(densityGrid(prior, GRID, GRID), (v) => Math.round(v * 1000) / 1000) },
        backdropFrame: a.imageId === undefined ? null : await backdropFrame(session.db, a.imageId, frames),
        unreadable,
      };
    },
    'masks.list': (a) => {
      const { db, blobs } = ctx.session();
      const page = listAlignedMasks(db, ctx.category(a.categoryId), a.clusterId, a.offset, a.limit);
      return {
        offset: a.offset,
        total: page.total,
        items: page.items.map(({ blob, sourceMaskBlob, ...m }) => ({
          ...m,
          file: blobs.path(blob),
          sourceMaskFile: sourceMaskBlob === null ? null : blobs.path(sourceMaskBlob),
        })),
      };
    },
  };
}

/** The learned frame on one image, as fractions of its size: where the Masks screen draws the density over it. */
async function backdropFrame(
  db: Parameters<typeof getImage>[0],
  imageId: number,
  frames: PromiseLru<PlacementInfo['backdropFrame']>,
): Promise<PlacementInfo['backdropFrame']> {
  const img = getImage(db, imageId);
  if (!img) throw new ApiError('not_found', `no image ${imageId} in this project`);
  // An unreadable backdrop (its file moved) only loses the frame: the density is drawn over the whole
  // thumbnail. The failure is not cached, so the frame comes back once the file does.
  return frames
    .get(`${img.sourcePath}\u0000${img.hash ?? ''}`, async () => {
      const raster = await loadRaster(img.sourcePath, MAX_INPUT_PIXELS);
      const f = frameOf(implicitRegion(raster), raster);
      return { x0: f.x0 / raster.width, y0: f.y0 / raster.height, x1: f.x1 / raster.width, y1: f.y1 / raster.height };
    })
    .catch(() => null);
}
