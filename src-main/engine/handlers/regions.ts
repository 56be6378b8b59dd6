import { resolve } from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../../api/contract';
import type { ImageRegions, RegionState } from '../../api/types';
import { binariseMask } from '../../core/dataset/mask';
import {
  labelledImageIds,
  listRegions,
  propagationRows,
  putRegionMask,
  regionMasksOfImage,
  setPropagationStatus,
  upsertRegion,
} from '../../store/regions';
import type { EngineContext, HandlerMap } from '../context';
import { listAlignedMasks, type MasksParams } from '../masks-job';
import { importRegionFolder, maskPng, type PropagateParams } from '../regions';

type RegionRequests =
  | 'regions.saveLabel'
  | 'regions.get'
  | 'regions.create'
  | 'regions.ofImage'
  | 'regions.importFolder'
  | 'regions.propagate'
  | 'regions.review'
  | 'masks.generate'
  | 'masks.list';

function regionState(ctx: EngineContext, categoryId: number): RegionState {
  const db = ctx.session().db;
  return {
    categoryId,
    regions: listRegions(db, categoryId).map((r) => ({ id: r.id, name: r.name, colour: r.colour })),
    labelled: labelledImageIds(db, categoryId).map((imageId) => ({
      imageId,
      relPath: ctx.image(imageId).relPath,
      regions: regionMasksOfImage(db, imageId)
        .filter((r) => r.source === 'label')
        .map((r) => r.region),
    })),
    propagated: propagationRows(db, categoryId),
  };
}

function imageRegions(ctx: EngineContext, imageId: number): ImageRegions {
  const img = ctx.image(imageId);
  const db = ctx.session().db;
  const colours = new Map(listRegions(db, img.categoryId).map((r) => [r.id, r.colour]));
  return {
    imageId,
    regions: regionMasksOfImage(db, imageId).map((r) => ({
      regionId: r.region_id,
      region: r.region,
      colour: colours.get(r.region_id) ?? '#999999',
      maskId: r.id,
      source: r.source,
      area: r.area,
      confidence: r.confidence,
      status: r.status,
      vectors: r.vectors ? (JSON.parse(r.vectors) as unknown) : null,
    })),
  };
}

export function regionHandlers(ctx: EngineContext): HandlerMap<RegionRequests> {
  return {
    'regions.get': (a) => regionState(ctx, ctx.category(a.categoryId)),
    'regions.create': (a) => {
      upsertRegion(ctx.session().db, ctx.category(a.categoryId), a.name, a.colour);
      return regionState(ctx, a.categoryId);
    },
    'regions.saveLabel': async (a) => {
      const img = ctx.image(a.imageId);
      if (img.kind !== 'normal') throw new ApiError('bad_request', `regions are drawn on normal images; ${img.relPath} is an anomaly image`);
      const { db, blobs } = ctx.session();
      const known = new Set(listRegions(db, img.categoryId).map((r) => r.id));
      const decoded: { regionId: number; vectors: unknown; area: number; blob: string | null }[] = [];
      for (const r of a.regions) {
        if (!known.has(r.regionId)) throw new ApiError('bad_request', `region ${r.regionId} does not belong to ${img.category}`);
        const { data, info } = await sharp(Buffer.from(r.png, 'base64')).extractChannel(0).raw().toBuffer({ resolveWithObject: true }).catch(() => {
          throw new ApiError('bad_request', `region ${r.regionId}: the mask is not a readable PNG`);
        });
        if (info.width !== img.width || info.height !== img.height) {
          throw new ApiError('bad_request', `region ${r.regionId}: mask is ${info.width}×${info.height} but ${img.relPath} is ${img.width}×${img.height}`);
        }
        const bin = binariseMask(new Uint8Array(data.buffer, data.byteOffset, data.length));
        decoded.push({ regionId: r.regionId, vectors: r.vectors, area: bin.area, blob: bin.area ? blobs.put(await maskPng({ width: info.width, height: info.height, data: bin.data }), 'png') : null });
      }
      db.transaction(() => {
        for (const d of decoded) {
          if (d.blob === null) db.prepare("DELETE FROM region_masks WHERE image_id = ? AND region_id = ? AND source = 'label'").run(a.imageId, d.regionId);
          else putRegionMask(db, { imageId: a.imageId, regionId: d.regionId, source: 'label', vectors: d.vectors ?? null, blob: d.blob, area: d.area, confidence: 1 });
        }
        // An edited image is a labelled exemplar now, no longer a propagated one under review.
        db.prepare("DELETE FROM region_masks WHERE image_id = ? AND source = 'propagated'").run(a.imageId);
        db.prepare('DELETE FROM propagation_confidence WHERE image_id = ?').run(a.imageId);
      })();
      return imageRegions(ctx, a.imageId);
    },
    'regions.ofImage': (a) => imageRegions(ctx, a.imageId),
    'regions.importFolder': (a) => importRegionFolder(ctx.session(), ctx.category(a.categoryId), resolve(a.folder)),
    'regions.propagate': (a) => {
      const params: PropagateParams = { categoryId: ctx.category(a.categoryId), seed: a.seed, flagBelow: a.flagBelow };
      return ctx.startJob('propagate', params);
    },
    'regions.review': (a) => {
      const img = ctx.image(a.imageId);
      setPropagationStatus(ctx.session().db, a.imageId, a.status);
      return regionState(ctx, img.categoryId);
    },
    'masks.generate': (a) => {
      const params: MasksParams = { categoryId: ctx.category(a.categoryId), clusterId: a.clusterId, count: a.count, seed: a.seed };
      return ctx.startJob('masks', params);
    },
    'masks.list': (a) => {
      const page = listAlignedMasks(ctx.session().db, ctx.category(a.categoryId), a.clusterId, a.offset, a.limit);
      return { offset: a.offset, total: page.total, items: page.items.map(({ blob: _blob, ...rest }) => rest) };
    },
  };
}
