/** regions.*: the product regions of a category, drawn, imported, segmented, propagated and reviewed (METHOD.md §4). */
import { resolve } from 'node:path';
import { ApiError } from '../../api/contract';
import type { ImageRegions, RegionState } from '../../api/types';
import { binariseMask } from '../../core/dataset/mask';
import { distinctColour } from '../../core/regions/colours';
import {
  labelledImageIds,
  listRegions,
  propagationRows,
  regionMasksOfImage,
  replaceLabels,
  setPropagationStatus,
  upsertRegion,
} from '../../store/regions';
import type { EngineContext, NamespaceHandlers } from '../context';
import { importRegionFolder } from './import-folder';
import type { PropagateParams } from './job';
import { segmenterSource } from './segmenter';
import { maskArea } from '../../core/image/raster';
import { getImage } from '../../store/images';
import { encodeMaskBlobPng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';


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
  const { db, blobs } = ctx.session();
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
      file: blobs.path(r.blob),
    })),
  };
}

export function regionHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'regions'> {
  const segmenter = segmenterSource(userDataDir);
  return {
    'regions.get': (a) => regionState(ctx, ctx.category(a.categoryId)),
    'regions.create': (a) => {
      const db = ctx.session().db;
      const categoryId = ctx.category(a.categoryId);
      upsertRegion(db, categoryId, a.name, a.colour ?? distinctColour(listRegions(db, categoryId).map((r) => r.colour)));
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
        const label = await loadMask({ bytes: Buffer.from(r.png, 'base64') }).catch(() => {
          throw new ApiError('bad_request', `region ${r.regionId}: the mask is not a readable PNG`);
        });
        if (label.width !== img.width || label.height !== img.height) {
          throw new ApiError('bad_request', `region ${r.regionId}: mask is ${label.width}×${label.height} but ${img.relPath} is ${img.width}×${img.height}`);
        }
        const bin = binariseMask(label.data);
        decoded.push({ regionId: r.regionId, vectors: r.vectors, area: bin.area, blob: bin.area ? blobs.put(await encodeMaskBlobPng({ width: label.width, height: label.height, data: bin.data }), 'png') : null });
      }
      replaceLabels(db, a.imageId, decoded);
      return imageRegions(ctx, a.imageId);
    },
    'regions.ofImage': (a) => imageRegions(ctx, a.imageId),
    'regions.importFolder': (a) => importRegionFolder(ctx.session(), ctx.category(a.categoryId), resolve(a.folder)),
    'regions.propagate': (a) => {
      const params: PropagateParams = { categoryId: ctx.category(a.categoryId), seed: a.seed, flagBelow: a.flagBelow };
      return ctx.startJob('propagate', params);
    },
    'regions.segment': async (a) => {
      const img = ctx.image(a.imageId);
      if (img.kind !== 'normal') throw new ApiError('bad_request', `regions are drawn on normal images; ${img.relPath} is an anomaly image`);
      const seg = await segmenter();
      const source = getImage(ctx.session().db, a.imageId)?.sourcePath;
      if (!source) throw new ApiError('not_found', `image ${a.imageId} has no source file`);
      const raster = await loadRaster(source, MAX_INPUT_PIXELS);
      // The path is part of the key: an image id is only unique inside one project.
      const mask = await seg.segment(`${source}#${a.imageId}`, raster, { points: a.points, ...(a.box ? { box: a.box } : {}) }).catch((e: unknown) => {
        // A prompt the segmenter refuses (outside the image, an inverted box) is the caller's; anything else is ours.
        if (e instanceof Error && e.message.startsWith('segment:')) throw new ApiError('bad_request', e.message);
        throw e;
      });
      return { imageId: a.imageId, width: mask.width, height: mask.height, png: (await encodeMaskBlobPng(mask)).toString('base64'), area: maskArea(mask), pack: seg.pack.name };
    },
    'regions.review': (a) => {
      const img = ctx.image(a.imageId);
      setPropagationStatus(ctx.session().db, a.imageId, a.status);
      return regionState(ctx, img.categoryId);
    },
  };
}
