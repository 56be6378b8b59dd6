import { resolve } from 'node:path';
import type { RegionState } from '../../api/types';
import {
  labelledImageIds,
  listRegions,
  propagationRows,
  regionMasksOfImage,
  setPropagationStatus,
  upsertRegion,
} from '../../store/regions';
import type { EngineContext, HandlerMap } from '../context';
import { listAlignedMasks, type MasksParams } from '../masks-job';
import { importRegionFolder, type PropagateParams } from '../regions';

type RegionRequests =
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

export function regionHandlers(ctx: EngineContext): HandlerMap<RegionRequests> {
  return {
    'regions.get': (a) => regionState(ctx, ctx.category(a.categoryId)),
    'regions.create': (a) => {
      upsertRegion(ctx.session().db, ctx.category(a.categoryId), a.name, a.colour);
      return regionState(ctx, a.categoryId);
    },
    'regions.ofImage': (a) => {
      const img = ctx.image(a.imageId);
      const db = ctx.session().db;
      const colours = new Map(listRegions(db, img.categoryId).map((r) => [r.id, r.colour]));
      return {
        imageId: a.imageId,
        regions: regionMasksOfImage(db, a.imageId).map((r) => ({
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
    },
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
