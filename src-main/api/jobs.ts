/**
 * Every kind of job: the parameters it is stored with (a zod schema, so a resumed job's stored
 * parameters are parsed again before it runs) and the result it reports (a plain type, in
 * types.ts). The engine's job table is typed from this map, so starting, resuming and reading a
 * job's result cannot drift apart.
 */
import { z } from 'zod';
import { ApiError } from './errors';
import type { DatasetLayout, ExportSelection, JobKind, JobResults } from './types';

export const layouts = ['auto', 'mvtec', 'loco', 'folder'] as const satisfies readonly DatasetLayout[];
export const exportFormats = ['mvtec', 'folder', 'coco', 'yolo'] as const;
export const exportSelections = ['kept', 'accepted', 'all'] as const satisfies readonly ExportSelection[];
export const generators = ['exemplar', 'diffusion'] as const;
/** How a total of masks or pairs is shared over clusters: by cluster size (default) or equally. */
export const allocations = ['proportional', 'equal'] as const;
/** Export folders of real pairs: by the defect type they were imported as (default), or by cluster. */
export const exportLayouts = ['defect-type', 'cluster'] as const;
/** How a generator blends the defect in (the request offers auto, opaque and mixed; a job may store soft too). */
export const blendModes = ['auto', 'opaque', 'mixed', 'soft'] as const;
/** ONNX Runtime execution provider a job asks for (the app setting at the time it started). */
export const providerRequests = ['auto', 'cuda', 'cpu'] as const;

/** Pairs a parameter schema with a result type known only to the compiler: `job<R>()(schema)`. */
function job<R>() {
  return <P extends z.ZodType>(params: P) => ({ params }) as { params: P; result: R };
}

const id = z.number().int().positive();
const seed = z.number().int().min(0);
const count = z.number().int().min(1);
export const scorerModels = ['auto', 'simplenet', 'gaussian', 'padim'] as const;

/** A backbone pack resolved when the job started (AMFC's deep block, the scorer's F_β). */
const backboneChoice = z.object({
  packsDir: z.string(),
  pack: z.string(),
  provider: z.enum(providerRequests),
  intraOpThreads: z.number().int().min(1).nullable(),
});

/** The diffusion generator's packs and settings (METHOD.md §2), resolved when the job started. */
const diffusionChoice = z.object({
  packsDir: z.string(),
  sd15Pack: z.string(),
  /** The category's bound gaa-concepts pack. */
  conceptsPack: z.string(),
  steps: count,
  guidance: z.number().min(0),
  provider: z.enum(providerRequests),
  intraOpThreads: z.number().int().min(1).nullable(),
});

export const jobs = {
  import: job<JobResults['import']>()(
    z.object({
      /** The dataset folder, absolute. */
      source: z.string().min(1),
      layout: z.enum(layouts),
    }),
  ),
  cluster: job<JobResults['cluster']>()(
    z.object({
      categoryId: id,
      perType: z.boolean(),
      rounds: count,
      seed,
      minMeanClusterSize: count,
      weights: z.object({ colour: z.number(), texture: z.number(), shape: z.number(), deep: z.number() }).partial().optional(),
      /** A backbone pack for the deep block (METHOD.md §1); absent = colour, texture and shape only. */
      backbone: backboneChoice.optional(),
    }),
  ),
  propagate: job<JobResults['propagate']>()(
    z.object({
      categoryId: id,
      seed,
      /** Below this confidence an image is flagged for review. */
      flagBelow: z.number().min(0).max(1),
    }),
  ),
  masks: job<JobResults['masks']>()(
    z.object({
      categoryId: id,
      /** null = every cluster of the category. */
      clusterId: id.nullable(),
      count,
      /** Per cluster id, its own count (a total shared by allocation); absent = `count` for every cluster. */
      counts: z.record(z.string(), z.number().int().min(0)).optional(),
      seed,
    }),
  ),
  synth: job<JobResults['synth']>()(
    z.object({
      categoryId: id,
      /** null = every cluster with aligned masks. */
      clusterId: id.nullable(),
      /** n_gen: pairs per cluster (paper: 1000); the first n aligned masks of each cluster are used. */
      perCluster: count,
      /** Per cluster id, at most this many pairs (a total shared by allocation); absent = perCluster for every cluster. */
      caps: z.record(z.string(), z.number().int().min(0)).optional(),
      generator: z.enum(generators),
      seed,
      blendMode: z.enum(blendModes),
      /** Set for the diffusion generator. */
      diffusion: diffusionChoice.optional(),
    }),
  ),
  score: job<JobResults['score']>()(
    z.object({
      categoryId: id,
      /** Paper: 160 epochs, batch 4 (App. B.2). */
      epochs: count,
      batchImages: count,
      /** Fraction of each image's patches per optimisation step; absent (jobs from before it existed) = 1. */
      patchFraction: z.number().gt(0).max(1).optional(),
      /** At most this many normal training images train the scorer (seeded pick). */
      maxTrainImages: count,
      seed,
      /** n_keep per cluster (paper: 500 of 1000). */
      keep: count,
      /** F_β from this backbone pack (METHOD.md §5); absent = the built-in hand-crafted extractor. */
      backbone: backboneChoice.optional(),
      /** The normal model: auto = the one the self-check ranks best; absent (jobs from before it existed) = SimpleNet. */
      model: z.enum(scorerModels).optional(),
    }),
  ),
  export: job<JobResults['export']>()(
    z.object({
      outDir: z.string().min(1),
      name: z.string().nullable(),
      formats: z.array(z.enum(exportFormats)).min(1),
      /** kept: the filter's choice unless the user rejected it, plus what the user accepted; accepted: only what the user accepted; all: every pair not rejected. */
      selection: z.enum(exportSelections),
      includeReal: z.boolean(),
      /** Share of the exported pairs that are real few-shot pairs (repeated flipped copies); absent (older jobs) = the default. */
      realShare: z.number().min(0).max(0.9).optional(),
      /** The contrast floor (share of the cluster's median exemplar contrast); absent = none. */
      minContrast: z.number().min(0).max(1).optional(),
      includeNormals: z.boolean(),
      /** The normal test images as <category>/test/good; absent (jobs stored before it existed) = no. */
      includeHeldOutNormals: z.boolean().optional(),
      categoryId: id.nullable(),
      /** Folders by imported defect type or by cluster; absent (jobs stored before it existed) = cluster. */
      layout: z.enum(exportLayouts).optional(),
      /** Into outDir itself, which must be empty or absent; absent = a new folder inside outDir. */
      exact: z.boolean().optional(),
    }),
  ),
  value: job<JobResults['value']>()(
    z.object({
      categoryId: id,
      seeds: z.array(seed).min(1).max(5),
      /** What the export would contain: the same selection and real share as export.run. */
      selection: z.enum(exportSelections),
      realShare: z.number().min(0).max(0.9),
      /** The export's contrast floor; absent (jobs stored before it existed) = none. */
      minContrast: z.number().min(0).max(1).optional(),
      /** At most this many synthetic pairs train the export's classifier (a seeded draw). */
      maxPairs: count,
      /** Also train on the other selections (all; kept where pairs are scored) to choose the export's default filter. */
      compare: z.boolean().optional(),
    }),
  ),
} satisfies { [K in JobKind]: { params: z.ZodType; result: JobResults[K] } };

export type Jobs = typeof jobs;
/** The parameters a job of kind K is stored and run with. */
export type JobParams<K extends JobKind> = z.output<Jobs[K]['params']>;
export type JobResult<K extends JobKind> = Jobs[K]['result'];

export const jobKindNames = Object.keys(jobs) as JobKind[];

/** Parses a job's parameters (on start, and again on resume from what was stored); throws a conflict naming the bad field. */
export function parseJobParams<K extends JobKind>(kind: K, params: unknown): JobParams<K> {
  const parsed = jobs[kind].params.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'parameters';
    throw new ApiError('conflict', `${kind} job parameters do not fit this version: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as JobParams<K>;
}
