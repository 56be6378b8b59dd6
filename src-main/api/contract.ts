/**
 * The contract: every request the UI (or a script) can make, its validated arguments,
 * its result type, and every event the engine pushes. Electron IPC, the web host and the
 * CLI are all wired from this one map; nothing else defines a channel.
 *
 * Arguments are zod schemas because they cross a trust boundary and are parsed at the edge.
 * Results are plain TypeScript types: they come from our own engine.
 */
import { z } from 'zod';
import { DEFAULT_REAL_SHARE } from './limits';
import type {
  AppInfo,
  ProjectCompactResult,
  SamplePage,
  ScorerInfo,
  AlignedMaskPage,
  PlacementInfo,
  MasksPlan,
  SynthPlan,
  DemoRunStatus,
  FolderListing,
  StaleSummary,
  RedoStaleResult,
  SynthClusterSummary,
  ImageRegions,
  RegionState,
  ClusterState,
  ErrorPage,
  ImageDetail,
  ImagePage,
  JobInfo,
  JobFinished,
  ProjectInfo,
  StartedJob,
  SegmentResult,
  PackInfo,
  PackListInfo,
  RuntimeInfo,
  ConceptBundleInfo,
  ConceptImportReport,
  ConceptStatus,
  ExportPreviewInfo,
  KeepSummary,
  ValueRecommendation,
} from './types';
import { requestNames, type RequestChannelName } from './channels';
import { ApiError } from './errors';
import type { EventName, Events } from './events';
import type { ImageRef } from './image-ref';
import { allocations, exportFormats, exportLayouts, exportSelections, generators, layouts, scorerModels } from './jobs';
import { MASK_SIZE_REFERENCES, MAX_PAGE_ITEMS, MAX_REQUEST_BYTES } from './limits';

export * from './types';
export * from './image-ref';
export * from './errors';
export * from './events';
export * from './jobs';
export * from './limits';

/** Pairs an argument schema with a result type known only to the compiler: `request<R>()(schema)`. */
function request<R>() {
  return <A extends z.ZodType>(args: A) => ({ args }) as { args: A; result: R };
}

const path = z.string().min(1, 'a path is required').max(4096);
const id = z.number().int().positive();
const weight = z.number().min(0).max(10);
const pageArgs = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(MAX_PAGE_ITEMS).default(200),
};

/** What an export holds, shared by export.run and export.preview. */
const exportChoices = {
  formats: z.array(z.enum(exportFormats)).min(1).default(['mvtec']),
  selection: z.enum(exportSelections).default('kept'),
  includeReal: z.boolean().default(true),
  /** Share of the exported pairs that are real few-shot pairs, repeated in flipped copies (issue 11). */
  realShare: z.number().min(0).max(0.9).default(DEFAULT_REAL_SHARE),
  /** Leave out pairs whose defect's contrast is under this fraction of their cluster's median exemplar's (0 = keep them). */
  minContrast: z.number().min(0).max(1).default(0),
  includeNormals: z.boolean().default(true),
  /** The normal test images as <category>/test/good, for a trainer to evaluate on. */
  includeHeldOutNormals: z.boolean().default(true),
  categoryId: id.nullable().default(null),
  /** Folders of the pairs: by the defect type they were imported as (default) or by cluster; the manifest names both. */
  layout: z.enum(exportLayouts).default('defect-type'),
};

export const requests = {
  /** Engine version, open project, recent projects. */
  'app.info': request<AppInfo>()(z.object({}).strict()),

  /**
   * Creates an empty project folder (or opens it if it already holds a project). With `source`,
   * the dataset folder about to be imported is checked first, so a mistyped one creates nothing.
   */
  'project.create': request<ProjectInfo>()(
    z.object({ dir: path, name: z.string().min(1).max(200).optional(), source: path.optional() }).strict(),
  ),
  /** `readOnly`: no writer lock, no jobs; works while another process writes the project (`gaa info`). */
  'project.open': request<ProjectInfo>()(z.object({ dir: path, readOnly: z.boolean().optional() }).strict()),
  /** Generates the built-in demo dataset if absent, imports it into the demo project, opens it. */
  /**
   * Opens the demo project, generating and importing its dataset the first time. `run: 'all'`
   * then runs every stage (clusters, regions, masks, pairs, scores) as a user would, followed by
   * project.demoStatus; `import` stops after the import (to walk through the stages by hand).
   */
  'project.openDemo': request<ProjectInfo>()(z.object({ run: z.enum(['import', 'all']).default('import') }).strict()),
  /** Progress of the demo's full run; null when none was started in this session. */
  'project.demoStatus': request<DemoRunStatus | null>()(z.object({}).strict()),
  'project.close': request<{ closed: boolean }>()(z.object({}).strict()),
  'project.info': request<ProjectInfo>()(z.object({}).strict()),
  /** Removes leftover temporary blob files and blobs nothing names; `dryRun` (the default) only counts them. Refused while a job runs. */
  'project.compact': request<ProjectCompactResult>()(z.object({ dryRun: z.boolean().default(true) }).strict()),

  /** Starts an import job; progress arrives as `job.progress`, the end as `job.finished`. */
  'dataset.import': request<StartedJob>()(z.object({ source: path, layout: z.enum(layouts).default('auto') }).strict()),

  'dataset.listImages': request<ImagePage>()(
    z
      .object({
        categoryId: id.optional(),
        kind: z.enum(['normal', 'anomaly']).optional(),
        defectType: z.string().max(200).optional(),
        split: z.enum(['train', 'test', 'fewshot', 'heldout']).optional(),
        hasError: z.boolean().optional(),
        ...pageArgs,
      })
      .strict(),
  ),
  'dataset.image': request<ImageDetail>()(z.object({ imageId: id }).strict()),
  'dataset.errors': request<ErrorPage>()(z.object({ ...pageArgs }).strict()),
  /** Moves one anomaly image between the few-shot training set and the held-out set. */
  'dataset.setFewShot': request<ImageDetail>()(
    z.object({ imageId: id, fewShot: z.boolean() }).strict(),
  ),
  /** Redraws the seeded few-shot split of a category (METHOD.md §0). */
  'dataset.resplit': request<ProjectInfo>()(
    z.object({ categoryId: id, seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict(),
  ),

  /** AMFC on the few-shot anomalies of a category (METHOD.md §1); respects locks and hand moves. */
  'clusters.run': request<StartedJob>()(
    z
      .object({
        categoryId: id,
        perType: z.boolean().default(false),
        rounds: z.number().int().min(1).max(3).default(3),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
        /** K ≤ ⌊n / this⌋ per split (1 = METHOD.md's plain k_max). */
        minMeanClusterSize: z.number().int().min(1).max(50).default(4),
        weights: z
          .object({ colour: weight, texture: weight, shape: weight, deep: weight })
          .partial()
          .strict()
          .optional(),
        /** An installed backbone pack whose features form AMFC's deep block (METHOD.md §1); none by default. */
        backbonePack: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
  'clusters.get': request<ClusterState>()(z.object({ categoryId: id }).strict()),
  'clusters.rename': request<ClusterState>()(z.object({ clusterId: id, name: z.string().trim().min(1).max(120) }).strict()),
  'clusters.merge': request<ClusterState>()(
    z.object({ clusterIds: z.array(id).min(2).max(100), name: z.string().trim().min(1).max(120).optional() }).strict(),
  ),
  /** Splits a cluster into k (2-10), or into the automatically chosen K. */
  'clusters.split': request<ClusterState>()(z.object({ clusterId: id, k: z.number().int().min(2).max(10).optional() }).strict()),
  /** Moves members to another cluster, or to a new one when toClusterId is null. */
  'clusters.move': request<ClusterState>()(
    z.object({ imageIds: z.array(id).min(1).max(10000), toClusterId: id.nullable() }).strict(),
  ),
  'clusters.setLock': request<ClusterState>()(z.object({ clusterId: id, locked: z.boolean() }).strict()),
  'clusters.setRule': request<ClusterState>()(
    z
      .object({
        clusterId: id,
        kind: z.enum(['structural', 'logical', 'combined']),
        rule: z
          .object({
            mode: z.enum(['learned', 'inside', 'edge', 'centreline', 'logical', 'combined']),
            region: z.string().max(120).nullable(),
            alpha: z.number().min(0).max(1).optional(),
            perturbation: z.number().min(0).max(1).optional(),
            rotation: z.tuple([z.number().min(-180).max(180), z.number().min(-180).max(180)]).optional(),
            overlapLimit: z.number().min(0).max(1).optional(),
            size: z.enum(MASK_SIZE_REFERENCES).optional(),
          })
          .strict(),
      })
      .strict(),
  ),
  'clusters.undo': request<ClusterState>()(z.object({ categoryId: id }).strict()),
  'clusters.redo': request<ClusterState>()(z.object({ categoryId: id }).strict()),

  'regions.get': request<RegionState>()(z.object({ categoryId: id }).strict()),
  'regions.create': request<RegionState>()(
    z.object({ categoryId: id, name: z.string().trim().min(1).max(120), colour: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional() }).strict(),
  ),
  /**
   * Saves the regions the user drew on one normal image: per region its vectors (the editor's
   * polygons / strokes, kept for re-editing) and the rasterised mask as a base64 PNG. A region
   * sent with an empty mask is removed from that image.
   */
  'regions.saveLabel': request<ImageRegions>()(
    z
      .object({
        imageId: id,
        regions: z
          .array(z.object({ regionId: id, vectors: z.unknown(), png: z.string().max(MAX_REQUEST_BYTES).regex(/^[A-Za-z0-9+/=]*$/, 'base64 PNG') }).strict())
          .max(64)
          // Every front accepts the same requests: the web host's body cap bounds the masks together.
          .refine((rs) => rs.reduce((n, r) => n + r.png.length, 0) <= MAX_REQUEST_BYTES, `the masks together exceed ${MAX_REQUEST_BYTES / 1024 / 1024} MiB`),
      })
      .strict(),
  ),
  'regions.ofImage': request<ImageRegions>()(z.object({ imageId: id }).strict()),
  /** Region labels given as files `<image-stem>__<region>.png` instead of drawn. */
  'regions.importFolder': request<{ imported: { file: string; image: string; region: string; area: number }[]; errors: { file: string; reason: string }[] }>()(
    z.object({ categoryId: id, folder: path }).strict(),
  ),
  'regions.propagate': request<StartedJob>()(
    z.object({ categoryId: id, seed: z.number().int().min(0).max(2 ** 31 - 1).default(0), flagBelow: z.number().min(0).max(1).default(0.6) }).strict(),
  ),
  /**
   * Click-to-segment with the installed segmenter pack (SAM-style): positive / negative points
   * and an optional box, in image pixels; the mask comes back as a base64 PNG at image size.
   */
  'regions.segment': request<SegmentResult>()(
    z
      .object({
        imageId: id,
        points: z.array(z.object({ x: z.number().finite().min(0), y: z.number().finite().min(0), positive: z.boolean() }).strict()).max(64),
        box: z.object({ x0: z.number().finite(), y0: z.number().finite(), x1: z.number().finite(), y1: z.number().finite() }).strict().optional(),
      })
      .strict()
      .refine((a) => a.points.length > 0 || a.box !== undefined, 'give at least one point or a box'),
  ),
  'regions.review': request<RegionState>()(z.object({ imageId: id, status: z.enum(['pending', 'accepted', 'rejected']) }).strict()),

  /**
   * RAMS (METHOD.md §3): fills each cluster (or one) up to `count` aligned masks; with `total`,
   * up to that many over the clusters, shared by `allocation` (by default in proportion to
   * cluster size). `masks.plan` says how many that makes.
   */
  'masks.generate': request<StartedJob>()(
    z
      .object({
        categoryId: id,
        clusterId: id.nullable().default(null),
        count: z.number().int().min(1).max(100000).default(100),
        total: z.number().int().min(1).max(1000000).optional(),
        allocation: z.enum(allocations).default('proportional'),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      })
      .strict(),
  ),
  /** Stale work per cluster (issue 12, item 2): masks made before their cluster or region changed, their pairs, unscored pairs. */
  'masks.stale': request<StaleSummary>()(z.object({ categoryId: id }).strict()),
  /** Redo a cluster's stale work: removes its stale masks and their pairs, then makes them again (a masks job, then a synthesis job). */
  'masks.redoStale': request<RedoStaleResult>()(z.object({ categoryId: id, clusterId: id }).strict()),
  /** What `masks.generate` with these arguments would make: each cluster filled up to `count`. */
  'masks.plan': request<MasksPlan>()(
    z.object({ categoryId: id, clusterId: id.nullable().default(null), count: z.number().int().min(1).max(100000).default(100) }).strict(),
  ),
  'masks.list': request<AlignedMaskPage>()(z.object({ categoryId: id, clusterId: id.nullable().default(null), ...pageArgs }).strict()),
  /** Where a cluster's exemplars sit: the density `learned` placement draws from (METHOD.md §3). */
  'masks.placement': request<PlacementInfo>()(z.object({ categoryId: id, clusterId: id, imageId: id.optional() }).strict()),

  /** Per cluster: the blend mode its exemplars get, its pairs, and how alike they are (mean pairwise SSIM). */
  'synth.clusters': request<{ clusters: SynthClusterSummary[] }>()(z.object({ categoryId: id }).strict()),
  /** Generates one anomaly image per aligned mask, up to `perCluster` per cluster (METHOD.md §2b). */
  'synth.run': request<StartedJob>()(
    z
      .object({
        categoryId: id,
        clusterId: id.nullable().default(null),
        perCluster: z.number().int().min(1).max(100000).default(1000),
        /** At most this many pairs over the clusters, shared by `allocation` (each cluster also at most perCluster). */
        total: z.number().int().min(1).max(1000000).optional(),
        allocation: z.enum(allocations).default('proportional'),
        generator: z.enum(generators).default('exemplar'),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
        blendMode: z.enum(['auto', 'opaque', 'mixed']).default('auto'),
        /** Diffusion only (METHOD.md §2): the installed sd15-onnx pack; the concepts come from the category's bound pack. */
        sd15Pack: z.string().min(1).max(64).optional(),
        steps: z.number().int().min(1).max(1000).default(50),
        guidance: z.number().min(0).max(50).default(7.5),
      })
      .strict()
      .refine((a) => a.generator !== 'diffusion' || a.sd15Pack !== undefined, { message: 'the diffusion generator needs sd15Pack', path: ['sd15Pack'] }),
  ),
  /** What `synth.run` with these arguments would make: the masks it uses and the pairs already made with this generator and seed. */
  'synth.plan': request<SynthPlan>()(
    z
      .object({
        categoryId: id,
        clusterId: id.nullable().default(null),
        perCluster: z.number().int().min(1).max(100000).default(1000),
        generator: z.enum(generators).default('exemplar'),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      })
      .strict(),
  ),
  'samples.list': request<SamplePage>()(
    z
      .object({
        categoryId: id,
        clusterId: id.nullable().default(null),
        sort: z.enum(['ars', 'id']).default('id'),
        ...pageArgs,
      })
      .strict(),
  ),
  /** The user's accept / reject (null clears it); overrides the ARS filter, survives re-scoring. */
  'samples.decide': request<{ updated: number }>()(
    z.object({ sampleIds: z.array(id).min(1).max(10000), decision: z.enum(['accepted', 'rejected']).nullable() }).strict(),
  ),
  /** Trains the category's scorer on normal images, scores every pair (ARS, Eq. 7), keeps the best per cluster. */
  'score.run': request<StartedJob>()(
    z
      .object({
        categoryId: id,
        /** SimpleNet's schedule; the defaults keep 64 images to minutes (issue 15), the paper's is 160 × 4 × 1. */
        epochs: z.number().int().min(1).max(1000).default(20),
        batchImages: z.number().int().min(1).max(64).default(4),
        /** Fraction of each image's patches in one optimisation step (1 = all, as the paper). */
        patchFraction: z.number().gt(0).max(1).default(0.1),
        maxTrainImages: z.number().int().min(1).max(10000).default(64),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
        keep: z.number().int().min(1).max(100000).default(500),
        /** F_β (METHOD.md §5): the built-in hand-crafted patch descriptor, or an installed backbone pack. */
        extractor: z.union([z.literal('handcrafted'), z.object({ backbonePack: z.string().min(1).max(64) }).strict()]).default('handcrafted'),
        /** The normal model (issue 15): auto = the self-check picks among Gaussian, PaDiM and SimpleNet; a backbone pack always trains SimpleNet. */
        model: z.enum(scorerModels).default('auto'),
      })
      .strict(),
  ),
  /** The category's newest scorer with its settings and self-check; null before any scoring. */
  'score.info': request<ScorerInfo | null>()(z.object({ categoryId: id }).strict()),
  /** Keeps the `keep` best pairs per cluster, or (with `minArs`) every pair at or above a cut-off. */
  'samples.filter': request<KeepSummary>()(
    z
      .object({
        categoryId: id,
        clusterId: id.nullable().default(null),
        keep: z.number().int().min(1).max(100000).optional(),
        minArs: z.number().finite().optional(),
      })
      .strict()
      .refine((a) => (a.keep === undefined) !== (a.minArs === undefined), 'give either keep or minArs'),
  ),
  /** "Will this help?": trains the same pixel classifier on the real pairs alone and on what the export would hold (issue 11). */
  'value.run': request<StartedJob>()(
    z
      .object({
        categoryId: id,
        seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(5).default([0, 1]),
        selection: z.enum(exportSelections).default('kept'),
        realShare: z.number().min(0).max(0.9).default(DEFAULT_REAL_SHARE),
        minContrast: z.number().min(0).max(1).default(0),
        maxPairs: z.number().int().min(10).max(5000).default(500),
        /** Also train on every pair and on the ARS filter's pairs, to choose the export's default filter. */
        compare: z.boolean().default(true),
      })
      .strict(),
  ),
  /** The export default the newest value check of a category chose, or null where none did (issue 11 item 7). */
  'value.recommendation': request<ValueRecommendation | null>()(z.object({ categoryId: id }).strict()),
  'export.run': request<StartedJob>()(
    z
      .object({
        outDir: path,
        name: z.string().trim().min(1).max(120).regex(/^[^/\\]+$/, 'a folder name, not a path').nullable().default(null),
        /** Write into outDir itself (which must be empty or absent) instead of a new folder inside it. */
        exact: z.boolean().default(false),
        ...exportChoices,
      })
      .strict()
      .refine((a) => !(a.exact && a.name !== null), { message: 'exact writes into outDir itself: give no name', path: ['name'] }),
  ),
  /** Counts per cluster and format, and the files, that export.run with these choices would write. */
  'export.preview': request<ExportPreviewInfo>()(z.object(exportChoices).strict()),
  /** Opens a finished export of this project in the system's file manager. */
  'export.openFolder': request<{ opened: string }>()(z.object({ root: path }).strict()),

  'jobs.list': request<JobInfo[]>()(z.object({}).strict()),
  'jobs.cancel': request<JobInfo>()(z.object({ jobId: id }).strict()),
  /** Resumes an interrupted or cancelled job from its last committed item. */
  'jobs.resume': request<StartedJob>()(z.object({ jobId: id }).strict()),
  /**
   * Resolves when the job ends, with its outcome and typed result; a job that already ended
   * answers at once. An interrupted job is a conflict: resume it first.
   */
  'jobs.wait': request<JobFinished>()(z.object({ jobId: id }).strict()),

  /** Installed model packs (app-level, in the user-data folder) and folders there that are not valid packs. */
  'packs.list': request<PackListInfo>()(z.object({}).strict()),
  /** Installs a pack from a folder or .zip with no network; a refused pack's error lists every reason. */
  'packs.install': request<PackInfo>()(
    z
      .object({
        source: path.refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path'),
        replace: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Cancels the model pack installs running now; each ends refused with "cancelled", leaving nothing. */
  'packs.cancelInstall': request<{ cancelled: number }>()(z.object({}).strict()),
  'packs.remove': request<PackListInfo>()(z.object({ name: z.string().min(1).max(64) }).strict()),
  /** Execution-provider preference, the provider a probe session actually got (and why not CUDA), ORT version. */
  'system.runtime': request<RuntimeInfo>()(z.object({}).strict()),
  /**
   * The desktop app's native folder dialog, answered by Electron's main process (the engine has
   * no window: elsewhere it answers bad_request and the UI shows system.folders' browser).
   */
  'system.pickFolder': request<{ path: string | null }>()(z.object({ title: z.string().max(200).default('Choose a folder') }).strict()),
  /** Sub-folders of a folder inside the user's home (default: home), for choosing a folder without a native dialog. */
  'system.folders': request<FolderListing>()(z.object({ dir: path.nullable().default(null) }).strict()),
  'system.setRuntime': request<RuntimeInfo>()(
    z
      .object({
        executionProvider: z.enum(['auto', 'cuda', 'cpu']).optional(),
        intraOpThreads: z.number().int().min(1).max(256).nullable().optional(),
      })
      .strict(),
  ),

  /** Writes the category's concept-training bundle (few-shot pairs per cluster + bundle.json) into outDir (METHOD.md §2). */
  'concepts.exportBundle': request<ConceptBundleInfo>()(
    z.object({ categoryId: id, outDir: path, name: z.string().trim().min(1).max(120).regex(/^[^/\\]+$/, 'a folder name, not a path').optional() }).strict(),
  ),
  /** Installs a gaa-concepts pack (folder or .zip), checks it against the category's clusters and binds it to the category. */
  'concepts.import': request<ConceptImportReport>()(
    z
      .object({
        categoryId: id,
        source: path.refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path'),
        replace: z.boolean().default(false),
      })
      .strict(),
  ),
  /** The category's bound concept pack and the clusters it covers. */
  'concepts.get': request<ConceptStatus>()(z.object({ categoryId: id }).strict()),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestArgs<K extends RequestName> = z.input<Requests[K]['args']>;
export type ParsedArgs<K extends RequestName> = z.output<Requests[K]['args']>;
export type RequestResult<K extends RequestName> = Requests[K]['result'];

/** True when A and B are the same union: the channel list (channels.ts) must name exactly the requests above. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const requestNamesMatch: SameNames<RequestName, RequestChannelName> = true;
void requestNamesMatch;

export { requestNames };

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

/** Parses a request's arguments; throws an ApiError naming the bad field. */
export function parseArgs<K extends RequestName>(name: K, args: unknown): ParsedArgs<K> {
  const parsed = requests[name].args.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'arguments';
    throw new ApiError('bad_request', `${name}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as ParsedArgs<K>;
}

/**
 * The API as the renderer sees it (window.gaa under Electron, the web client otherwise).
 * One generic typed `invoke` keeps the preload a one-line binding per concern.
 */
export interface GaaApi {
  invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** URL of a project image the renderer may load: `gaa-img://…` or the web host's `/img/…`. */
  imageUrl(ref: ImageRef): string;
}

/**
 * The contract in-process, as the CLI and tests hold it: requests only, typed both ways. The
 * engine implements it; anything the CLI reports comes through it.
 */
export interface ApiClient {
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
}

