import type { JobParams } from '../../api/jobs';
import type { AnomalyKindChoice, ClusterMember, MaskFailure, MasksJobResult, PlacementRule } from '../../api/types';
import { DEFAULT_MASK_SIZE_REFERENCE } from '../../api/limits';
import { sizeReferenceFraction } from '../../core/masks/enhance';
import { createRng, deriveSeed } from '../../core/random';
import { maskArea, type Mask, type Raster } from '../../core/image/raster';
import { synthesiseAlignedMask, type AlignedMaskInput, type StructuralSource } from '../../core/masks/aligned-mask';
import type { StructuralPlacement } from '../../core/masks/placement';
import type { EdgeRelation } from '../../core/masks/edge-relation';
import {
  AppearanceIndex,
  describeExemplarPlacement,
  learnPlacementPrior,
  type ExemplarPlacement,
  type FrameBox,
  type PlacementPrior,
} from '../../core/masks/placement-prior';
import { prepareRegion, type RegionGuide } from '../../core/masks/region-guide';
import { maskBounds } from '../../core/image/morphology';
import type { MaskTransform, Point } from '../../core/masks/transform';
import { implicitRegion, type ImplicitRegion } from '../../core/regions';
import { clusterState } from '../../store/clusters';
import { insertAlignedMask } from '../../store/aligned-masks';
import { getImage, maskBlob, normalTrainingImages } from '../../store/images';
import { ItemDecodeError } from '../../core/dataset/types';
import { regionMasksOfImage } from '../../store/regions';
import type { JobBody } from '../jobs/runner';
import { encodeMaskBlobPng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { ProjectSession } from '../session';
import { masksPlan } from './plan';
import { clusterFingerprint, regionBlobOf } from './provenance';

/** One placed structural mask of an aligned mask row, as stored in `aligned_masks.transform`. */
export interface StoredMaskPart {
  mode: StructuralPlacement;
  transform: MaskTransform;
  insideFraction: number;
  /** combined rows: the cluster member (few-shot image and mask) this part was placed from. */
  imageId?: number;
  maskId?: number;
  /** combined rows: blob of this part's placed mask (image size, 0/255 PNG). */
  blob?: string;
}

/** The JSON of `aligned_masks.transform`. */
export interface StoredMaskTransform {
  /** T; for combined, the first part's. */
  transform: MaskTransform;
  parts: StoredMaskPart[];
  extraRings: Point[][];
}

const deg = (d: number) => (d * Math.PI) / 180;

/** A small cache: building a region guide (distance map, medial axis) is the costly part. */
class GuideCache {
  private readonly map = new Map<string, RegionGuide>();
  get(key: string, make: () => Promise<Mask>): Promise<RegionGuide> {
    const hit = this.map.get(key);
    if (hit) return Promise.resolve(hit);
    return make().then((m) => {
      const g = prepareRegion(m);
      if (this.map.size > 64) this.map.delete(this.map.keys().next().value as string);
      this.map.set(key, g);
      return g;
    });
  }
}

/**
 * RAMS job (METHOD.md §3): for each cluster, `count` aligned masks on seeded normal training
 * images, each from a seeded few-shot exemplar by the cluster's kind and placement rule.
 * Each mask is committed as it is made; a placement that cannot be satisfied is reported.
 */
/** The RAMS job's stored parameters (contract: `jobs.masks`). */
export type MasksParams = JobParams<'masks'>;

export function masksJob(session: ProjectSession, params: MasksParams): JobBody<MasksJobResult> {
  return async (ctx) => {
    const { db, blobs } = session;
    const state = clusterState(db, params.categoryId);
    // "Make N" fills each cluster up to N: the plan the screen showed, from the masks there before this job.
    const plan = masksPlan(db, params, ctx.jobId);
    const planOf = new Map(plan.clusters.map((c) => [c.clusterId, c]));
    const clusters = state.clusters.filter((c) => planOf.has(c.id));
    if (clusters.length === 0) throw new Error('no clusters with members: run the clustering first');
    const normals = normalTrainingImages(db, params.categoryId);
    if (normals.length === 0) throw new Error('no normal training images in this category');
    ctx.setTotal(plan.toMake);
    const guides = new GuideCache();
    const exemplarMasks = new Map<number, Mask>();
    const exemplarMask = async (maskId: number): Promise<Mask> => {
      let m = exemplarMasks.get(maskId);
      if (!m) {
        const blob = maskBlob(db, maskId);
        if (blob === null) throw new Error(`mask ${maskId} of a cluster member is missing from the project`);
        m = await loadMask(blobs.path(blob));
        exemplarMasks.set(maskId, m);
      }
      return m;
    };
    const failures: MaskFailure[] = [];
    const unreadableExemplars: MasksJobResult['unreadableExemplars'] = [];
    let made = 0;
    // One implicit region per normal image, shared by the region guide and the learned frame.
    const implicits = new Map<number, ImplicitRegion>();
    const implicitOf = (imageId: number, raster: Raster): ImplicitRegion => {
      let r = implicits.get(imageId);
      if (!r) {
        r = implicitRegion(raster);
        if (implicits.size >= 64) implicits.delete(implicits.keys().next().value as number);
        implicits.set(imageId, r);
      }
      return r;
    };
    // The region guide and the learned look of a normal image are made one after the other, so
    // the last few decoded normal images are kept: each is decoded once, not once per use.
    const normalRasters = new Map<number, Promise<Raster>>();
    const normalRaster = (imageId: number): Promise<Raster> => {
      let r = normalRasters.get(imageId);
      if (!r) {
        r = loadRaster(getImage(db, imageId)!.sourcePath, MAX_INPUT_PIXELS);
        if (normalRasters.size >= 4) normalRasters.delete(normalRasters.keys().next().value as number);
        normalRasters.set(imageId, r);
      }
      return r;
    };
    const looks = new Map<number, { frame: FrameBox; appearance: AppearanceIndex }>();
    /** The target's frame (implicit region's box) and appearance index (small: cells of ≤ 256 per side), for `learned` placement. */
    const lookOf = async (imageId: number) => {
      let look = looks.get(imageId);
      if (!look) {
        const raster = await normalRaster(imageId);
        look = { frame: frameOf(implicitOf(imageId, raster), raster), appearance: new AppearanceIndex(raster) };
        if (looks.size >= 512) looks.delete(looks.keys().next().value as number);
        looks.set(imageId, look);
      }
      return look;
    };
    for (const cluster of clusters) {
      const { existing, toMake } = planOf.get(cluster.id)!;
      if (toMake === 0) continue;
      const rule = cluster.rule;
      // Provenance: a later change of the cluster's kind, rule or members makes these masks stale.
      const madeFrom = clusterFingerprint(cluster);
      const learned = cluster.kind !== 'logical' && rule.mode === 'learned';
      const learnedFrom = learned ? await clusterPlacementPrior(session, cluster.members) : null;
      for (const u of learnedFrom?.unreadable ?? []) {
        unreadableExemplars.push({ cluster: cluster.name, file: u.file, reason: u.reason });
        ctx.message(`${cluster.name}: exemplar ${u.file} could not be read (${u.reason}); placement is learnt without it`);
      }
      const prior: PlacementPrior | null = learnedFrom?.prior ?? null;
      // Each exemplar's relation to its product's outline (kept only in the implicit foreground).
      const edgeOf = new Map<number, EdgeRelation | null>();
      if (learnedFrom && keepsOutlineRelation(rule)) for (const p of learnedFrom.placements) edgeOf.set(p.maskId, p.placement.edge);
      // Each exemplar's area as a fraction of its image's, so exemplars and targets of different sizes
      // agree on A_avg of Eq. (6) (sizeReferenceFraction).
      const exemplarFractions: number[] = [];
      for (const m of cluster.members) {
        const mk = await exemplarMask(m.maskId);
        exemplarFractions.push(maskArea(mk) / (mk.width * mk.height));
      }
      const sizeReference = rule.size ?? DEFAULT_MASK_SIZE_REFERENCE;
      // Indices go on from the masks already there, so a fill never repeats their seeds.
      for (let i = existing; i < existing + toMake; i++) {
        if (ctx.signal.aborted) return null;
        const key = `mask:${cluster.id}:${i}`;
        if (ctx.finished.has(key)) continue;
        const seed = deriveSeed(params.seed, cluster.id, i);
        const rng = createRng(seed);
        const normal = normals[rng.int(normals.length)];
        try {
          const guide = await guides.get(`${normal.id}:${rule.region ?? '*'}`, () => regionOf(session, normal.id, rule.region, implicitOf, normalRaster));
          const pick = () => cluster.members[rng.int(cluster.members.length)];
          const source = async (memberMaskId: number, areaFraction: number): Promise<StructuralSource> => ({
            mask: await exemplarMask(memberMaskId),
            clusterMeanArea: areaFraction * normal.width * normal.height,
            ...(learned ? { placement: 'learned' as const } : {}),
            enhance: {
              alpha: rule.alpha,
              perturbSigmaFactor: rule.perturbation,
              rotation: rule.rotation ? [deg(rule.rotation[0]), deg(rule.rotation[1])] : true,
            },
          });
          // Drawn for every mode so that a seed gives the same masks as before combined rows recorded their parts.
          let main = pick();
          const input: AlignedMaskInput = { seed, region: guide, mode: modeOf(cluster.kind, rule) };
          if (prior) {
            const look = await lookOf(normal.id);
            const edge = input.mode === 'combined' ? null : edgeOf.get(main.maskId) ?? null;
            input.placement = { learned: { prior, frame: look.frame, appearance: look.appearance, edge } };
          }
          // combined: the member each part is placed from, in part order (synthesiseAlignedMask keeps it).
          let partSources: ClusterMember[] = [];
          if (input.mode === 'combined') {
            const n = 2 + rng.int(2);
            partSources = Array.from({ length: n }, () => pick());
            // Drawn after the parts, so `mean` leaves every earlier draw of a seed as it was.
            const areaFraction = sizeReferenceFraction(sizeReference, exemplarFractions, rng);
            input.sources = await Promise.all(partSources.map((m) => source(m.maskId, areaFraction)));
            input.placement = { ...input.placement, maxIoU: rule.overlapLimit ?? 0.1 };
            // The row's exemplar is the first part's: a combined row has no source apart from its parts.
            main = partSources[0];
          } else if (input.mode !== 'logical') {
            input.source = await source(main.maskId, sizeReferenceFraction(sizeReference, exemplarFractions, rng));
          }
          const res = synthesiseAlignedMask(input);
          if (!res.ok) {
            failures.push({ cluster: cluster.name, index: i, normalImage: normal.relPath, reason: res.reason });
            ctx.commitItem(key, 'failed');
            continue;
          }
          const area = maskArea(res.mask);
          const blob = blobs.put(await encodeMaskBlobPng(res.mask), 'png');
          const parts: StoredMaskPart[] = [];
          for (let k = 0; k < res.parts.length; k++) {
            const part = res.parts[k];
            const stored: StoredMaskPart = { mode: part.mode, transform: part.transform, insideFraction: part.insideFraction };
            if (res.mode === 'combined') {
              // The exemplar generator applies each part with its own exemplar and mask (synth-job.ts).
              stored.imageId = partSources[k].imageId;
              stored.maskId = partSources[k].maskId;
              stored.blob = blobs.put(await encodeMaskBlobPng(part.mask), 'png');
            }
            parts.push(stored);
          }
          ctx.commitItem(key, 'done', () =>
            insertAlignedMask(db, {
              categoryId: params.categoryId,
              clusterId: cluster.id,
              clusterName: cluster.name,
              jobId: ctx.jobId,
              normalImageId: normal.id,
              sourceImageId: res.mode === 'logical' ? null : main.imageId,
              sourceMaskId: res.mode === 'logical' ? null : main.maskId,
              region: rule.region,
              mode: res.mode,
              insideFraction: res.insideFraction,
              transform: JSON.stringify({ transform: res.transform, parts, extraRings: res.extraRings } satisfies StoredMaskTransform),
              seed,
              blob,
              width: res.mask.width,
              height: res.mask.height,
              area,
              madeFrom,
              regionBlob: regionBlobOf(db, normal.id, rule.region),
            }),
          );
          made++;
        } catch (err) {
          failures.push({ cluster: cluster.name, index: i, normalImage: normal.relPath, reason: err instanceof Error ? err.message : String(err) });
          ctx.commitItem(key, 'failed');
        }
      }
    }
    return { categoryId: params.categoryId, made, failed: failures.length, failures: failures.slice(0, 500), unreadableExemplars };
  };
}

function modeOf(kind: AnomalyKindChoice, rule: PlacementRule): AlignedMaskInput['mode'] {
  if (kind === 'logical') return 'logical';
  if (kind === 'combined') return 'combined';
  return rule.mode === 'logical' || rule.mode === 'combined' ? 'inside' : rule.mode;
}

/** A cluster exemplar that `learned` placement could not read, and why (its image moved, or no longer decodes). */
export interface UnreadableExemplar {
  imageId: number;
  file: string;
  reason: string;
}

/**
 * Where a cluster's exemplars sit (METHOD.md §3, `learned`): each member's position, direction
 * and surroundings in its own image's frame, and the density learnt from them. An exemplar that
 * cannot be read is left out and named in `unreadable`, so one moved file does not stop the
 * cluster; only when none can be read is there no density to learn.
 */
export async function clusterPlacementPrior(
  session: ProjectSession,
  members: readonly { imageId: number; maskId: number }[],
): Promise<{ prior: PlacementPrior; placements: { imageId: number; maskId: number; placement: ExemplarPlacement }[]; unreadable: UnreadableExemplar[] }> {
  const { db, blobs } = session;
  const placements: { imageId: number; maskId: number; placement: ExemplarPlacement }[] = [];
  const unreadable: UnreadableExemplar[] = [];
  for (const m of members) {
    const img = getImage(db, m.imageId);
    const blob = maskBlob(db, m.maskId);
    if (!img || !blob) continue;
    let raster: Raster;
    let mask: Mask;
    try {
      raster = await loadRaster(img.sourcePath, MAX_INPUT_PIXELS);
      mask = await loadMask(blobs.path(blob));
    } catch (err) {
      unreadable.push({ imageId: m.imageId, file: img.relPath, reason: err instanceof ItemDecodeError ? err.reason : err instanceof Error ? err.message : String(err) });
      continue;
    }
    const region = implicitRegion(raster);
    const foreground = region.kind === 'foreground' ? region.mask : null;
    placements.push({ imageId: m.imageId, maskId: m.maskId, placement: describeExemplarPlacement(raster, mask, frameOf(region, raster), foreground) });
  }
  if (placements.length === 0) {
    const first = unreadable[0];
    throw new Error(`none of the cluster's exemplars could be read${first ? ` (${first.file}: ${first.reason})` : ''}`);
  }
  return { prior: learnPlacementPrior(placements.map((p) => p.placement)), placements, unreadable };
}

/**
 * Whether `learned` placement keeps each exemplar's relation to its product's outline: only where
 * the target region is that product (the implicit foreground); a named region's outline is not
 * the exemplar's.
 */
export function keepsOutlineRelation(rule: Pick<PlacementRule, 'region'>): boolean {
  return (rule.region ?? null) === null;
}

/** The frame `learned` placement measures positions in: the box of the image's implicit region. */
export function frameOf(region: ImplicitRegion, raster: { width: number; height: number }): FrameBox {
  const whole = { x0: 0, y0: 0, x1: raster.width, y1: raster.height };
  return region.kind === 'whole-image' ? whole : (maskBounds(region.mask) ?? whole);
}

/** The named region on one normal image (drawn or propagated, not rejected), else the implicit region. */
async function regionOf(
  session: ProjectSession,
  imageId: number,
  region: string | null,
  implicitOf: (imageId: number, raster: Raster) => ImplicitRegion,
  normalRaster: (imageId: number) => Promise<Raster>,
): Promise<Mask> {
  const { db, blobs } = session;
  if (region !== null) {
    const row = regionMasksOfImage(db, imageId).find((r) => r.region === region && r.status !== 'rejected');
    if (!row) {
      const img = getImage(db, imageId);
      throw new Error(`no "${region}" region on ${img?.relPath ?? `image ${imageId}`} (label or propagate the regions first)`);
    }
    return loadMask(blobs.path(row.blob));
  }
  return implicitOf(imageId, await normalRaster(imageId)).mask;
}
