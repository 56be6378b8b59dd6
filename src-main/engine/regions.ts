import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../api/contract';
import { binariseMask } from '../core/dataset/mask';
import type { Mask } from '../core/image/raster';
import { propagateWith, trainPropagator, type LabelledExemplar } from '../core/regions';
import { getImage, usableNormalImages } from '../store/images';
import {
  deletePropagatedRegionMasks,
  labelledImageIds,
  listRegions,
  putPropagationConfidence,
  putRegionMask,
  regionMasksOfImage,
  upsertRegion,
} from '../store/regions';
import { MAX_INPUT_PIXELS } from './import-job';
import type { JobBody } from './jobs';
import { loadMask, loadRaster } from './pixels';
import type { ProjectSession } from './session';

/** Encodes a core Mask as the 1-channel 0/255 PNG every mask blob is. */
export async function maskPng(mask: Mask): Promise<Buffer> {
  const data = Buffer.alloc(mask.width * mask.height);
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i] ? 255 : 0;
  return sharp(data, { raw: { width: mask.width, height: mask.height, channels: 1 } }).png().toBuffer();
}

function countOn(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) n++;
  return n;
}

export interface RegionImportResult {
  imported: { file: string; image: string; region: string; area: number }[];
  errors: { file: string; reason: string }[];
}

/**
 * Region labels supplied as files instead of drawn: `<image-stem>__<region>.png`, one per region
 * and labelled image, matched to the category's training normal images by file stem.
 */
export async function importRegionFolder(session: ProjectSession, categoryId: number, folder: string): Promise<RegionImportResult> {
  const { db, blobs } = session;
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /\.png$/i.test(n) && n.includes('__'));
  } catch (err) {
    throw new ApiError('not_found', `cannot read region folder ${folder}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new ApiError('bad_request', `${folder} holds no <image-stem>__<region>.png files`);
  const normals = usableNormalImages(db, categoryId);
  const result: RegionImportResult = { imported: [], errors: [] };
  for (const name of names.sort()) {
    const file = join(folder, name);
    const stem = basename(name, extname(name));
    const cut = stem.lastIndexOf('__');
    const imageStem = stem.slice(0, cut);
    const region = stem.slice(cut + 2).trim();
    const stemOf = (p: string) => basename(p, extname(p));
    const matches = normals.filter((n) => stemOf(n.relPath) === imageStem);
    const preferred = matches.filter((m) => m.origin === 'train');
    const chosen = preferred.length === 1 ? preferred : matches;
    if (!region) {
      result.errors.push({ file, reason: 'no region name after "__"' });
      continue;
    }
    if (chosen.length !== 1) {
      result.errors.push({
        file,
        reason: chosen.length === 0 ? `no normal image with stem "${imageStem}" in this category` : `stem "${imageStem}" matches ${chosen.length} images: ${chosen.map((c) => c.relPath).join(', ')}`,
      });
      continue;
    }
    const target = chosen[0];
    try {
      const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      if (info.width !== target.width || info.height !== target.height) {
        throw new Error(`region mask is ${info.width}×${info.height} but ${target.relPath} is ${target.width}×${target.height}`);
      }
      const bin = binariseMask(new Uint8Array(data.buffer, data.byteOffset, data.length));
      if (bin.area === 0) throw new Error('region mask is empty');
      const png = await maskPng({ width: info.width, height: info.height, data: bin.data });
      const blob = blobs.put(png, 'png');
      db.transaction(() => {
        const regionId = upsertRegion(db, categoryId, region);
        putRegionMask(db, { imageId: target.id, regionId, source: 'label', vectors: null, blob, area: bin.area, confidence: 1 });
      })();
      result.imported.push({ file, image: target.relPath, region, area: bin.area });
    } catch (err) {
      result.errors.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

export interface PropagateParams {
  categoryId: number;
  seed: number;
  /** Below this confidence an image is flagged for review. */
  flagBelow: number;
}

/**
 * Propagation (METHOD.md §4): train once on the labelled images, then label every other normal
 * image of the category, committing each image's regions and confidence as it finishes.
 */
export function propagateJob(session: ProjectSession, params: PropagateParams): JobBody {
  return async (ctx) => {
    const { db, blobs } = session;
    const labelled = labelledImageIds(db, params.categoryId);
    if (labelled.length === 0) throw new Error('no labelled images: draw or import the regions of 3-5 normal images first');
    const regions = listRegions(db, params.categoryId);
    const targets = usableNormalImages(db, params.categoryId).filter((r) => !labelled.includes(r.id));
    ctx.setTotal(targets.length);
    ctx.message(`Training on ${labelled.length} labelled images`);
    const exemplars: LabelledExemplar[] = [];
    for (const id of labelled) {
      const img = getImage(db, id)!;
      const masks: Record<string, Mask> = {};
      for (const rm of regionMasksOfImage(db, id).filter((r) => r.source === 'label')) masks[rm.region] = await loadMask(blobs.path(rm.blob));
      // An exemplar that did not label a region says it is absent there: an empty mask.
      for (const r of regions) masks[r.name] ??= { width: img.width, height: img.height, data: new Uint8Array(img.width * img.height) };
      exemplars.push({ image: await loadRaster(img.sourcePath, MAX_INPUT_PIXELS), regions: masks });
    }
    const model = trainPropagator(exemplars, params.seed);
    const regionIds = new Map(regions.map((r) => [r.name, r.id]));
    ctx.message('Propagating');
    let flagged = 0;
    for (const t of targets) {
      if (ctx.signal.aborted) break;
      const key = `image:${t.id}`;
      if (ctx.finished.has(key)) continue;
      const img = getImage(db, t.id)!;
      try {
        const raster = await loadRaster(img.sourcePath, MAX_INPUT_PIXELS);
        const res = propagateWith(model, raster);
        const stored: { regionId: number; blob: string; area: number; confidence: number }[] = [];
        for (const [name, mask] of Object.entries(res.regions)) {
          const area = countOn(mask);
          if (area === 0) continue;
          stored.push({ regionId: regionIds.get(name)!, blob: blobs.put(await maskPng(mask), 'png'), area, confidence: res.perRegionConfidence[name] ?? res.confidence });
        }
        const isFlagged = res.confidence < params.flagBelow;
        if (isFlagged) flagged++;
        ctx.commitItem(key, 'done', () => {
          deletePropagatedRegionMasks(db, t.id);
          for (const s of stored) putRegionMask(db, { imageId: t.id, source: 'propagated', vectors: null, ...s });
          putPropagationConfidence(db, t.id, res.confidence, isFlagged);
        });
      } catch (err) {
        ctx.commitItem(key, 'failed');
        ctx.message(`${img.relPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
      await new Promise<void>((ok) => setImmediate(ok));
    }
    return { categoryId: params.categoryId, labelled: labelled.length, propagated: targets.length, flagged };
  };
}
