import type { JobParams } from '../../api/jobs';
import type { PropagateJobResult } from '../../api/types';
import type { Mask } from '../../core/image/raster';
import { propagateWith, trainPropagator, type LabelledExemplar } from '../../core/regions';
import { getImage, usableNormalImages } from '../../store/images';
import {
  deletePropagatedRegionMasks,
  labelledImageIds,
  listRegions,
  putPropagationConfidence,
  putRegionMask,
  regionMasksOfImage,
} from '../../store/regions';
import type { JobBody } from '../jobs/runner';
import { encodeMaskBlobPng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { ProjectSession } from '../session';

function countOn(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) n++;
  return n;
}

/**
 * Propagation (METHOD.md §4): train once on the labelled images, then label every other normal
 * image of the category, committing each image's regions and confidence as it finishes.
 */
/** The propagation job's stored parameters (contract: `jobs.propagate`). */
export type PropagateParams = JobParams<'propagate'>;

export function propagateJob(session: ProjectSession, params: PropagateParams): JobBody<PropagateJobResult> {
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
          stored.push({ regionId: regionIds.get(name)!, blob: blobs.put(await encodeMaskBlobPng(mask), 'png'), area, confidence: res.perRegionConfidence[name] ?? res.confidence });
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
