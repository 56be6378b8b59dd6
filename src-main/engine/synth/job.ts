import type { JobParams } from '../../api/jobs';
import type { SynthJobResult } from '../../api/types';
import { join } from 'node:path';
import { createMask, type Mask, type Raster } from '../../core/image/raster';
import { createRng, deriveSeed } from '../../core/random';
import { measureInsideVisible, measureOutsideChange, type OutsideChange } from '../../core/generate/alignment';
import { exemplarGenerator } from '../../core/generate/exemplar';
import { contrastRatio, defectContrast, drawContrastGain } from '../../core/generate/variation';
import type { GenerateInput } from '../../core/generate/types';
import type { DiffusionGenerator } from '../../core/onnx/diffusion-generator';
import { asConceptsPack, asSd15Pack, type ConceptsPack, type Sd15Pack } from '../../core/onnx/packs';
import { createDiffusionGenerator } from '../../io/onnx-runtime';
import { loadPack } from '../../io/packs';
import type { AlignedMaskToSynthesise } from '../../store/aligned-masks';
import { clusterState } from '../../store/clusters';
import { getImage, maskBlob } from '../../store/images';
import { insertSample, sampleExists } from '../../store/samples';
import type { JobBody } from '../jobs/runner';
import { GeneratorPool } from '../workers/generator-pool';
import type { StoredMaskTransform } from '../masks/job';
import { pairSeed, synthPlan } from './plan';
import { encodeMaskBlobPng, encodeSamplePng, loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { ProjectSession } from '../session';
import { PromiseLru } from '../promise-lru';

/** The synthesis job's stored parameters (contract: `jobs.synth`). */
export type SynthParams = JobParams<'synth'>;
/** The diffusion generator's packs and settings (METHOD.md §2), all recorded in each sample's provenance. */
export type DiffusionSynthParams = NonNullable<SynthParams['diffusion']>;

/** What the job needs of a generator: the exemplar one runs on the worker pool, the diffusion one in this process. */
interface JobGenerator {
  /** Stored in `samples.generator`: 'exemplar' or 'diffusion'. */
  id: SynthParams['generator'];
  /** Stored version; for diffusion a function of the cluster (the concept is part of it). */
  version(clusterId: number | null): string;
  /** JSON provenance stored in `samples.params`. */
  provenance: Record<string, unknown>;
  /** How many pairs may be in flight at once. */
  parallel: number;
  run(input: GenerateInput, clusterId: number | null): Promise<{ image: Raster; mask: Mask; blendMode: string; outsideChange: OutsideChange; fallback?: string }>;
  close(): Promise<void>;
}

function exemplarJobGenerator(params: SynthParams): JobGenerator {
  const pool = new GeneratorPool();
  return {
    id: 'exemplar',
    version: () => exemplarGenerator.version,
    provenance: { blendMode: params.blendMode },
    // Two pairs in flight per worker: one generating, one being decoded or written.
    parallel: pool.size * 2,
    run: (input) => pool.run(exemplarGenerator.id, input),
    close: () => pool.close(),
  };
}

/**
 * The diffusion generator (METHOD.md §2) on the job's sd15 pack and the category's concept pack,
 * one generator per cluster (its concept), sharing the ONNX sessions. ONNX Runtime runs on its own
 * threads, so it runs here with no worker pool; two pairs in flight overlap one's UNet steps with
 * the other's PNG encoding and writing.
 */
async function diffusionJobGenerator(d: DiffusionSynthParams): Promise<JobGenerator> {
  let sd: Sd15Pack;
  let concepts: ConceptsPack;
  try {
    sd = asSd15Pack(await loadPack(join(d.packsDir, d.sd15Pack)));
    concepts = asConceptsPack(await loadPack(join(d.packsDir, d.conceptsPack)));
  } catch (e) {
    throw new Error(`the diffusion packs cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const withConcept = new Set(concepts.manifest.clusters.map((c) => c.id));
  const generators = new Map<string, DiffusionGenerator>();
  const generatorOf = (clusterId: number | null): DiffusionGenerator => {
    const id = clusterId === null ? null : String(clusterId);
    if (id === null || !withConcept.has(id)) {
      throw new Error(
        `cluster ${id ?? '(deleted)'} has no concept in pack '${concepts.name}': import a concept pack trained for it, or use the exemplar generator for this cluster`,
      );
    }
    let g = generators.get(id);
    if (!g) {
      g = createDiffusionGenerator(sd, { pack: concepts, clusterId: id }, {
        steps: d.steps,
        guidanceScale: d.guidance,
        provider: d.provider,
        intraOpThreads: d.intraOpThreads ?? undefined,
      });
      generators.set(id, g);
    }
    return g;
  };
  return {
    id: 'diffusion',
    version: (clusterId) => generatorOf(clusterId).version,
    provenance: {
      generator: 'diffusion',
      sd15Pack: { name: sd.name, version: sd.manifest.version },
      conceptsPack: { name: concepts.name, version: concepts.manifest.version },
      steps: d.steps,
      guidance: d.guidance,
      provider: d.provider,
    },
    parallel: 2,
    run: async (input, clusterId) => generatorOf(clusterId).generate(input),
    // Sessions stay in the shared cache: the next job on the same packs reuses them.
    close: async () => undefined,
  };
}

/**
 * The synthesis job: one generated image per aligned mask, on the mask's normal image. The
 * exemplar generator (METHOD.md §2b, on a pool of worker threads, one per core) warps the mask's
 * few-shot exemplar by the recorded transform (a combined mask part by part, each with its own
 * exemplar); the diffusion generator (§2) draws the anomaly from the cluster's learned concept,
 * and a cluster without one fails per pair. Each pair is stored with full provenance as it
 * finishes; a killed job resumes without gaps or duplicates.
 */
export function synthJob(session: ProjectSession, params: SynthParams): JobBody<SynthJobResult> {
  return async (ctx) => {
    const { db, blobs } = session;
    if (params.generator === 'diffusion' && !params.diffusion) throw new Error('the diffusion generator was started without its packs');
    // The plan the screen showed: pairs already made with this generator and seed are not in it.
    const { plan, rows } = synthPlan(db, params, ctx.finished);
    if (plan.clusters.length === 0) throw new Error('no aligned masks: make masks first (Masks stage or `gaa masks`)');
    const shortfall = plan.clusters.filter((c) => c.masks < c.cap).map((c) => ({ cluster: c.name, masks: c.masks }));
    ctx.setTotal(rows.length);
    const rasters = new PromiseLru<Raster>(48);
    const masks = new PromiseLru<Mask>(96);
    const failures: { alignedMaskId: number; reason: string }[] = [];
    let made = 0;
    /** Pairs of these masks made before this run (an earlier job, or this job before a resume). */
    let before = plan.alreadyMade;
    const generator = params.generator === 'diffusion' ? await diffusionJobGenerator(params.diffusion!) : exemplarJobGenerator(params);
    const diffusion = generator.id === 'diffusion';

    const loadExemplar = async (imageId: number | null, maskId: number | null): Promise<{ image: Raster; mask: Mask; key: string }> => {
      const src = imageId === null ? null : getImage(db, imageId);
      const exemplarBlob = maskId === null ? null : maskBlob(db, maskId);
      if (!src || exemplarBlob === null) throw new Error('the few-shot exemplar of this mask is missing from the project');
      return {
        image: await rasters.get(`i${src.id}`, () => loadRaster(src.sourcePath, MAX_INPUT_PIXELS)),
        mask: await masks.get(`m${maskId}`, () => loadMask(blobs.path(exemplarBlob))),
        key: `m${maskId}`,
      };
    };

    // Variation (METHOD.md §2b): each pair's contrast gain is drawn within the range its
    // cluster's exemplars show; an exemplar's contrast is |ΔL*| of its inside to its ring.
    const contrastOf = new Map<number, number>();
    const exemplarContrast = async (imageId: number, maskId: number): Promise<number> => {
      let c = contrastOf.get(maskId);
      if (c === undefined) {
        const ex = await loadExemplar(imageId, maskId);
        c = defectContrast(ex.image, ex.mask);
        contrastOf.set(maskId, c);
      }
      return c;
    };
    const members = new Map(clusterState(db, params.categoryId).clusters.map((c) => [c.id, c.members]));
    const clusterContrasts = new Map<number, number[]>();
    const contrastsOfCluster = async (clusterId: number | null): Promise<number[]> => {
      if (clusterId === null) return [];
      let list = clusterContrasts.get(clusterId);
      if (!list) {
        list = [];
        // A member that cannot be read is left out of the range; its own pairs fail with the reason.
        for (const m of members.get(clusterId) ?? []) list.push(await exemplarContrast(m.imageId, m.maskId).catch(() => NaN));
        clusterContrasts.set(clusterId, list);
      }
      return list;
    };
    const pickMember = (clusterId: number | null, seed: number): { imageId: number; maskId: number } | null => {
      const list = clusterId === null ? [] : (members.get(clusterId) ?? []);
      return list.length ? list[createRng(deriveSeed(seed, 'logical-exemplar')).int(list.length)] : null;
    };
    const gainFor = async (clusterId: number | null, imageId: number, maskId: number, seed: number): Promise<number> =>
      drawContrastGain(createRng(deriveSeed(seed, 'contrast')).next, await contrastsOfCluster(clusterId), await exemplarContrast(imageId, maskId));

    /**
     * A combined mask (METHOD.md §3) with the exemplar generator: each part is its own structural
     * anomaly, from its own exemplar and transform, so the generator is applied part by part, each
     * on the previous result (image_0 = normal), with a per-part seed. The pair's label is the union
     * of the parts' labels; every changed pixel lies near some part's label, hence near the union.
     */
    const generateCombined = async (
      row: AlignedMaskToSynthesise,
      normal: Raster,
      alignedMask: Mask,
      seed: number,
    ): Promise<{ image: Raster; mask: Mask; blendMode: string; outsideChange: OutsideChange; draws: Record<string, unknown> }> => {
      const parts = (JSON.parse(row.transform) as StoredMaskTransform).parts ?? [];
      const recorded = parts.length >= 2 && parts.every((p) => p.imageId !== undefined && p.maskId !== undefined && p.blob !== undefined);
      if (!recorded) throw new Error('this combined mask was made before per-part sources were recorded; make the masks again');
      let image = normal;
      const label = createMask(alignedMask.width, alignedMask.height);
      const modes: string[] = [];
      const gains: number[] = [];
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k];
        try {
          const exemplar = await loadExemplar(part.imageId!, part.maskId!);
          const partMask = await masks.get(`p${part.blob}`, () => loadMask(blobs.path(part.blob!)));
          const partSeed = deriveSeed(seed, k);
          const contrastGain = await gainFor(row.cluster_id, part.imageId!, part.maskId!, partSeed);
          gains.push(contrastGain);
          const step = await generator.run(
            { normal: image, alignedMask: partMask, transform: part.transform, exemplar, kind: 'structural', blendMode: params.blendMode, seed: partSeed, contrastGain },
            row.cluster_id,
          );
          image = step.image;
          for (let i = 0; i < label.data.length; i++) if (step.mask.data[i] !== 0) label.data[i] = 255;
          modes.push(step.blendMode);
        } catch (err) {
          throw new Error(`combined: part ${k + 1} of ${parts.length}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      // One mode when every part got the same one, else each part's in order (e.g. 'opaque+mixed').
      return {
        image,
        mask: label,
        blendMode: modes.every((m) => m === modes[0]) ? modes[0] : modes.join('+'),
        // Each part keeps to its own label, so the pair is measured against the union.
        outsideChange: measureOutsideChange(normal, image, label),
        draws: { contrastGain: gains },
      };
    };

    const processRow = async (row: AlignedMaskToSynthesise): Promise<void> => {
      const key = `sample:${row.id}`;
      const seed = pairSeed(params.seed, row.id);
      try {
        const version = generator.version(row.cluster_id);
        const normalInfo = getImage(db, row.normal_image_id);
        if (!normalInfo) throw new Error(`normal image ${row.normal_image_id} is no longer in the project`);
        const normal = await rasters.get(`i${row.normal_image_id}`, () => loadRaster(normalInfo.sourcePath, MAX_INPUT_PIXELS));
        const alignedMask = await masks.get(`a${row.id}`, () => loadMask(blobs.path(row.blob)));
        const logical = row.mode === 'logical';
        let out: { image: Raster; mask: Mask; blendMode: string; outsideChange: OutsideChange; draws: Record<string, unknown> };
        if (row.mode === 'combined' && !diffusion) {
          out = await generateCombined(row, normal, alignedMask, seed);
        } else {
          // The diffusion generator draws the anomaly from the cluster's concept, not from an exemplar.
          // A logical ("missing") mask takes the region's content from a seeded member of its cluster.
          const logicalSource = logical && !diffusion ? pickMember(row.cluster_id, seed) : null;
          const exemplar = diffusion
            ? null
            : logical
              ? logicalSource && (await loadExemplar(logicalSource.imageId, logicalSource.maskId))
              : await loadExemplar(row.source_image_id, row.source_mask_id);
          const transform = logical || diffusion ? null : ((JSON.parse(row.transform) as StoredMaskTransform).transform ?? null);
          const contrastGain = exemplar && !logical ? await gainFor(row.cluster_id, row.source_image_id!, row.source_mask_id!, seed) : 1;
          const step = await generator.run(
            { normal, alignedMask, transform, exemplar, kind: logical ? 'logical' : 'structural', blendMode: params.blendMode, seed, contrastGain },
            row.cluster_id,
          );
          out = {
            ...step,
            draws: logical
              ? { logicalExemplar: logicalSource?.imageId ?? null, ...(step.fallback ? { fallback: step.fallback } : {}) }
              : exemplar
                ? { contrastGain }
                : {},
          };
        }
        // The label must show a defect: how much of it visibly changed (METHOD.md §2b).
        const insideVisible = measureInsideVisible(normal, out.image, out.mask);
        // ... and at a contrast within the range of its cluster's exemplars (the same measure on both).
        const ratio = contrastRatio(defectContrast(out.image, out.mask), await contrastsOfCluster(row.cluster_id));
        const imageBlob = blobs.put(await encodeSamplePng(out.image), 'png');
        // A structural pair's label is the part of the aligned mask its exemplar covers: a blob of its own.
        const labelBlob = sameMask(out.mask, alignedMask) ? row.blob : blobs.put(await encodeMaskBlobPng(out.mask), 'png');
        if (ctx.signal.aborted) return;
        ctx.commitItem(key, 'done', () =>
          insertSample(db, {
            categoryId: params.categoryId,
            clusterId: row.cluster_id,
            clusterName: row.cluster_name,
            alignedMaskId: row.id,
            normalImageId: row.normal_image_id,
            sourceImageId: row.source_image_id,
            generator: generator.id,
            generatorVersion: version,
            params: JSON.stringify(generator.provenance),
            seed,
            blendMode: out.blendMode,
            imageBlob,
            maskBlob: labelBlob,
            width: out.image.width,
            height: out.image.height,
            jobId: ctx.jobId,
            outsideChangeMax: out.outsideChange.max,
            outsideOver: out.outsideChange.overTolerance,
            insideVisible,
            contrastRatio: ratio,
            draws: JSON.stringify(out.draws),
          }),
        );
        made++;
      } catch (err) {
        if (ctx.signal.aborted) return;
        failures.push({ alignedMaskId: row.id, reason: err instanceof Error ? err.message : String(err) });
        ctx.commitItem(key, 'failed');
      }
    };

    const inFlight = new Set<Promise<void>>();
    try {
      for (const row of rows) {
        if (ctx.signal.aborted) break;
        if (ctx.finished.has(`sample:${row.id}`)) {
          if (sampleExists(db, row.id, generator.id, pairSeed(params.seed, row.id))) before++;
          continue;
        }
        const p: Promise<void> = processRow(row).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= generator.parallel) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } finally {
      await generator.close();
    }
    if (ctx.signal.aborted) return null;
    return { categoryId: params.categoryId, made, total: made + before, failed: failures.length, failures: failures.slice(0, 500), shortfall };
  };
}

/** Same size and the same pixels on / off. */
function sameMask(a: Mask, b: Mask): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.data.length; i++) if ((a.data[i] !== 0) !== (b.data[i] !== 0)) return false;
  return true;
}
