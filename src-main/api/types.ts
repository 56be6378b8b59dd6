/** Result and event payload types of the contract. Plain JSON: they cross IPC, HTTP and stdout. */

export type DatasetLayout = 'auto' | 'mvtec' | 'loco' | 'folder';
export type ImageKind = 'normal' | 'anomaly';
/**
 * Where an image sits in the protocol: normal images are `train` (may be learned from) or
 * `test` (evaluation only); anomaly images are `fewshot` (the one third the pipeline may
 * learn from, METHOD.md §0) or `heldout`.
 */
export type ImageSplit = 'train' | 'test' | 'fewshot' | 'heldout';

export interface AppInfo {
  version: string;
  /** Which front is talking to the engine. */
  host: 'electron' | 'web' | 'cli';
  project: ProjectInfo | null;
  recentProjects: { dir: string; name: string; openedAt: string }[];
  /** Why some or all of the recent-projects file was not used (it names the file); null when fine. */
  recentWarning: string | null;
  /** Where the built-in demo project lives. */
  demoDir: string;
}

export interface CategoryCounts {
  normal: number;
  anomaly: number;
  masks: number;
  fewShot: number;
  heldOut: number;
  errors: number;
}

export interface DefectTypeCounts {
  defectType: string;
  anomaly: number;
  masks: number;
  fewShot: number;
  heldOut: number;
}

export interface CategoryInfo {
  id: number;
  name: string;
  counts: CategoryCounts;
  defectTypes: DefectTypeCounts[];
  /** Seed of the stored few-shot split. */
  splitSeed: number;
}

export interface ProjectInfo {
  dir: string;
  name: string;
  schemaVersion: number;
  categories: CategoryInfo[];
  totals: { normal: number; anomaly: number; masks: number; errors: number };
}

export interface ImageSummary {
  id: number;
  categoryId: number;
  category: string;
  kind: ImageKind;
  /** `good` for normal images; the folder name (e.g. `crack`) for anomalies. */
  defectType: string;
  split: ImageSplit;
  /** Path relative to the imported dataset root. */
  relPath: string;
  width: number;
  height: number;
  maskCount: number;
  hasError: boolean;
}

export interface MaskInfo {
  id: number;
  /** `union` = the image's whole ground truth; `region` = one of several files (MVTec LOCO). */
  role: 'union' | 'region';
  sourcePath: string | null;
  regionIndex: number | null;
  width: number;
  height: number;
  /** On-pixels after binarisation. */
  area: number;
  /** The stored binarised mask (1-channel 0/255 PNG), absolute. */
  file: string;
}

export interface ItemError {
  id: number;
  /** The offending file, absolute. */
  file: string;
  reason: string;
  imageId: number | null;
  jobId: number | null;
}

export interface ImageDetail extends ImageSummary {
  sourcePath: string;
  channels: number;
  bitDepth: number;
  hash: string;
  masks: MaskInfo[];
  errors: ItemError[];
  /** LOCO `defects_config.json` entry for this defect type, when present. */
  defectConfig: unknown;
}

export interface ImagePage {
  total: number;
  offset: number;
  items: ImageSummary[];
}

export interface ErrorPage {
  total: number;
  offset: number;
  items: ItemError[];
}

export type JobKind = 'import' | 'cluster' | 'propagate' | 'masks' | 'synth' | 'score' | 'export' | 'value';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobInfo {
  id: number;
  kind: JobKind;
  status: JobStatus;
  done: number;
  total: number;
  /** Items that failed and were reported, not retried. */
  failed: number;
  params: Record<string, unknown>;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StartedJob {
  jobId: number;
}

export interface JobProgress {
  jobId: number;
  kind: JobKind;
  done: number;
  total: number;
  failed: number;
  /** Estimated milliseconds left, null until measurable. */
  etaMs: number | null;
  message: string;
}

/** What each kind of job reports when it is done (`JobFinished.result`, `jobs.wait`). */
export interface JobResults {
  import: ImportJobResult;
  cluster: ClusterJobResult;
  propagate: PropagateJobResult;
  masks: MasksJobResult;
  synth: SynthJobResult;
  score: ScoreJobResult;
  export: ExportJobResult;
  value: ValueJobResult;
}

/** The end of one job of kind K; `result` is null unless it is done. */
export interface JobFinishedOf<K extends JobKind> {
  jobId: number;
  kind: K;
  status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>;
  error: string | null;
  result: JobResults[K] | null;
}

/** The end of a job, told apart by `kind`. */
export type JobFinished = { [K in JobKind]: JobFinishedOf<K> }[JobKind];

/** A file that failed, and why (per item; the job goes on). */
export interface FileFailure {
  file: string;
  reason: string;
}

export interface ImportJobResult {
  /** The dataset folder, absolute. */
  source: string;
  /** The layout it was read as (`auto` resolved). */
  layout: Exclude<DatasetLayout, 'auto'>;
  categories: string[];
  imported: number;
  duplicates: number;
  failed: number;
  /** The first 500 per-item errors (all are in `dataset.errors`). */
  errors: FileFailure[];
}

export interface ClusterJobResult {
  categoryId: number;
  k: number;
  rounds: number;
  /** Members clustered afresh; `kept`: left where they were (locked clusters, hand moves). */
  clustered: number;
  kept: number;
  runId: number;
  failed: FileFailure[];
}

export interface PropagateJobResult {
  categoryId: number;
  labelled: number;
  propagated: number;
  flagged: number;
}

/** An aligned mask that could not be placed (METHOD.md §3), with why. */
export interface MaskFailure {
  cluster: string;
  index: number;
  normalImage: string | null;
  reason: string;
}

export interface MasksJobResult {
  categoryId: number;
  made: number;
  failed: number;
  /** The first 500 failures. */
  failures: MaskFailure[];
  /** Exemplars `learned` placement could not read (a moved or damaged file): left out of the density, named here. */
  unreadableExemplars: { cluster: string; file: string; reason: string }[];
}

/**
 * What "Make N" does before it runs: each cluster is filled up to `count` aligned masks, so it
 * makes `count − existing` (never less than 0). The masks job uses the same plan: its total is `toMake`.
 */
export interface MasksPlan {
  count: number;
  clusters: { clusterId: number; name: string; existing: number; toMake: number }[];
  toMake: number;
}

/**
 * What "Generate" does before it runs: per cluster, the first `perCluster` aligned masks are used
 * (`used`); those that already have a pair from this generator and seed are not made again
 * (`alreadyMade`); the job makes the rest (`toMake`), and its total is the sum. Masks whose
 * cluster is gone (orphaned) are never used.
 */
export interface SynthPlan {
  perCluster: number;
  /** `cap`: the masks a cluster may use, n_gen or less when a shared total gives it less. */
  clusters: { clusterId: number; name: string; cap: number; masks: number; used: number; alreadyMade: number; toMake: number }[];
  toMake: number;
  alreadyMade: number;
}

/**
 * Stale work of a category (issue 12, item 2): per cluster, aligned masks made before their
 * cluster's kind, rule or members or their region changed since, the pairs made on them (whose
 * scores are stale with them), and pairs without a score.
 */
export interface StaleSummary {
  categoryId: number;
  clusters: {
    clusterId: number;
    name: string;
    masks: number;
    staleMasks: number;
    pairs: number;
    stalePairs: number;
    unscoredPairs: number;
    /** Stale masks by what changed: the cluster (kind, rule, members) or the region they were placed in. */
    reasons: { cluster: number; region: number };
  }[];
  staleMasks: number;
  stalePairs: number;
  unscoredPairs: number;
}

/** What "Redo" of a cluster's stale work did: the stale masks and their pairs removed, and the jobs that make them again. */
export interface RedoStaleResult {
  removedMasks: number;
  removedPairs: number;
  masksJobId: number | null;
  synthJobId: number | null;
}

/** One folder's sub-folders, for the web host's folder browser (only inside the home folder). */
export interface FolderListing {
  dir: string;
  home: string;
  /** The folder above, null at the home folder. */
  parent: string | null;
  folders: { name: string; path: string }[];
}

/** Progress of "Open demo project" running every stage (project.demoStatus). */
export interface DemoRunStatus {
  state: 'running' | 'done' | 'failed';
  /** What runs now, e.g. "Clustering tile". */
  stage: string;
  /** Stages finished before this one, of `total` (the import is the first). */
  index: number;
  total: number;
  /** The stage's job and its progress, when it has one. */
  jobId: number | null;
  done: number;
  stageTotal: number;
  error: string | null;
}

export interface SynthJobResult {
  categoryId: number;
  /** Pairs this run generated. */
  made: number;
  /** Pairs of the masks this run covered that exist now: `made` plus those made before (absent in results from before it existed). */
  total?: number;
  failed: number;
  /** The first 500 failures. */
  failures: { alignedMaskId: number; reason: string }[];
  /** Clusters with fewer aligned masks than pairs asked for. */
  shortfall: { cluster: string; masks: number }[];
}

/**
 * What the keep filter kept: in total, per cluster and per blend mode (share = kept / pairs), so a
 * filter that favours the most visible pastes shows. `keepPerCluster` is the per-cluster count it
 * was run with (null for a cut-off, `minArs`).
 */
export interface KeepSummary {
  kept: number;
  total: number;
  keepPerCluster: number | null;
  minArs: number | null;
  perCluster: { cluster: string; pairs: number; kept: number; share: number }[];
  perBlendMode: { blendMode: string; pairs: number; kept: number; share: number }[];
}

export interface ScoreJobResult {
  categoryId: number;
  scored: number;
  kept: number;
  /** The filter after scoring, per cluster and blend mode (absent in results from before it existed). */
  keep?: KeepSummary;
  scorerId: number;
  selfCheck: ScorerSelfCheck | null;
}

export interface ExportJobResult {
  /** Absolute path of the finished export folder. */
  root: string;
  /** Files written, manifest included. */
  files: number;
  manifestPath: string;
  /**
   * Per category folder: per cluster folder the number of pairs, `good` the number of train/good
   * normals and `test/good` the number of held-out normals.
   */
  counts: Record<string, Record<string, number>>;
  pairs: number;
  normals: number;
  /** Held-out normal images written as test/good (absent in results of exports from before it existed). */
  heldOutNormals?: number;
  /** Pairs not exported and why (ExportLeftOut). */
  leftOut: ExportLeftOut;
  /** Real few-shot pairs exported, and how many copies of them (each once, then flipped copies up to the real share). */
  real: { pairs: number; copies: number };
  /** Synthetic pairs exported, and how many the categories in scope hold (absent in results from before it existed). */
  synthetic?: { pairs: number; inProject: number };
  /** Warnings, e.g. an export that leaves out every synthetic pair (absent in results from before it existed). */
  warnings?: string[];
  /** Source images left out because they went missing or changed since the import (absent in results of older exports). */
  sourceProblems?: ExportSourceProblem[];
}

/** What `project.compact` found in the blob store, and (unless a dry run) removed. */
export interface ProjectCompactResult {
  dryRun: boolean;
  /** Temporary files of writes killed before their rename. */
  temporary: { files: number; bytes: number };
  /** Blobs no record of the project names any more. */
  unreferenced: { files: number; bytes: number };
  /** Blobs kept because the project names them (or they are too new to judge). */
  kept: number;
  /** Files removed (0 on a dry run). */
  removed: number;
}

/** A dataset file an export would copy that is missing or no longer the file that was imported. */
export interface ExportSourceProblem {
  imageId: number;
  file: string;
  reason: string;
}

/**
 * Where a cluster's defects occur (METHOD.md §3, placement `learned`): each exemplar's position
 * in its image's frame (0..1, the implicit region's box), its main axis when elongated, and the
 * position density on a grid over the frame (max 1), as the Masks screen draws it.
 */
export interface PlacementInfo {
  clusterId: number;
  bandwidth: number;
  /** The exemplars agree on a direction, which placement keeps. */
  oriented: boolean;
  /** onOutline: the exemplar straddles its product's outline, so its pairs are placed on the target's outline (edge-relation.ts). */
  exemplars: { imageId: number; x: number; y: number; axis: number | null; onOutline: boolean }[];
  grid: { cols: number; rows: number; values: number[] };
  /** With `imageId`: the frame on that image (fractions of its width and height), where the grid is drawn over it. */
  backdropFrame: { x0: number; y0: number; x1: number; y1: number } | null;
  /** Exemplars that could not be read (a moved or damaged file): the density is learnt without them. */
  unreadable: { imageId: number; file: string; reason: string }[];
}

/** Per cluster, how its pairs are made and how alike they are (issue 11, variation that stays real). */
export interface SynthClusterSummary {
  clusterId: number;
  name: string;
  size: number;
  /** The blend mode its exemplars get with `auto` (METHOD.md §2b), by count of exemplars. */
  blendModes: Record<string, number>;
  pairs: number;
  /** Mean pairwise SSIM of up to 24 of its generated defects' crops: near 1 = near-duplicates; null with fewer than 2 pairs. */
  diversity: number | null;
}

/** Pixel AP, pixel AUROC and image AUROC of a classifier on the held-out real anomalies and normals (0..1). */
export interface ValueMetrics {
  pixelAp: number;
  pixelAuroc: number;
  imageAuroc: number;
}

/**
 * "Will this help?" (issue 11): the same small pixel classifier trained on the real few-shot
 * pairs alone and on what the export would contain, scored on the held-out real anomalies and
 * held-out normal images, per seed and on average.
 */
export interface ValueJobResult {
  categoryId: number;
  category: string;
  /** Why no figures were computed (too few held-out images), with what to add; null when they were. */
  insufficient: string | null;
  seeds: number[];
  heldOutAnomalies: number;
  heldOutNormals: number;
  realOnly: ValueMetrics & { pairs: number };
  export: ValueMetrics & { syntheticPairs: number; realCopies: number };
  /** export − realOnly, on the means. */
  difference: ValueMetrics;
  /** Half the spread of the per-seed differences: a difference smaller than this is noise. */
  noise: ValueMetrics;
  perSeed: { seed: number; realOnly: ValueMetrics; export: ValueMetrics }[];
  /** helps / hurts when the pixel-AP difference exceeds its noise and 1 point, else unclear. */
  verdict: 'helps' | 'hurts' | 'unclear' | null;
  /**
   * Every export selection the check trained on (the one asked for first, then `all`, then
   * `kept` where pairs are scored), each against the real pairs alone. Absent in checks run
   * before selections were compared.
   */
  filters?: ValueFilterFigures[];
  /** The export's default filter these figures support (core/value chooseSelection); null without figures. */
  recommended?: { selection: 'kept' | 'all'; why: string } | null;
  seconds: number;
}

/** The export default a finished value check chose, and which check (issue 11 item 7). */
export interface ValueRecommendation {
  jobId: number;
  finishedAt: string;
  selection: 'kept' | 'all';
  why: string;
}

/** Which pairs an export (or a value check) takes: those the ARS filter kept, those a person accepted, or all. */
export type ExportSelection = 'kept' | 'accepted' | 'all';

export interface ValueFilterFigures {
  selection: ExportSelection;
  export: ValueMetrics & { syntheticPairs: number; realCopies: number };
  difference: ValueMetrics;
  noise: ValueMetrics;
  perSeed: ValueMetrics[];
  verdict: 'helps' | 'hurts' | 'unclear';
}

/** METHOD.md §3: what kind of anomaly a cluster is, which decides how its masks are placed. */
export type AnomalyKindChoice = 'structural' | 'logical' | 'combined';
/** `learned` (the default for structural clusters): where the cluster's own exemplars sit (METHOD.md §3). */
export type PlacementMode = 'learned' | 'inside' | 'edge' | 'centreline' | 'logical' | 'combined';

/**
 * A_avg of Eq. (6), the area each new mask is scaled toward: `mean` (the default), the cluster's
 * mean exemplar area, as the paper has it, so every mask comes out near one size; `exemplars`, the
 * area of one of the cluster's exemplars drawn for each mask, so the masks' sizes spread as the
 * real ones do.
 */
export type MaskSizeReference = 'mean' | 'exemplars';

/** A cluster's placement rule (used by the masks stage). Angles in degrees. */
export interface PlacementRule {
  mode: PlacementMode;
  /** Region name; null = the category's implicit region. */
  region: string | null;
  alpha?: number;
  perturbation?: number;
  rotation?: [number, number];
  overlapLimit?: number;
  /** Absent: DEFAULT_MASK_SIZE_REFERENCE (api/limits). */
  size?: MaskSizeReference;
}

export interface ClusterMember {
  imageId: number;
  maskId: number;
  relPath: string;
  defectType: string;
  /** Moved here by hand: a re-run keeps it here. */
  manual: boolean;
}

export interface ClusterSummary {
  id: number;
  name: string;
  size: number;
  locked: boolean;
  kind: AnomalyKindChoice;
  rule: PlacementRule;
  /** CH and DB of the split that produced this cluster (null if made by hand). */
  ch: number | null;
  db: number | null;
  nodeId: string | null;
  members: ClusterMember[];
}

export interface KCurvePoint {
  k: number;
  ch: number;
  db: number;
  score: number;
}

export interface ClusterRunInfo {
  id: number;
  k: number;
  rounds: number;
  params: Record<string, unknown>;
  featuresVersion: string;
  createdAt: string;
  /** The K-selection curve of the first round (combined score per k). */
  curve: KCurvePoint[];
  /** Every split of the multi-round tree. */
  splits: { nodeId: string; round: number; size: number; k: number; ch: number | null; db: number | null; dense: boolean }[];
}

export interface ClusterState {
  categoryId: number;
  run: ClusterRunInfo | null;
  clusters: ClusterSummary[];
  /** Few-shot anomalies in no cluster (before the first run, or new since). */
  unassigned: ClusterMember[];
  /** PCA of the feature matrix, one point per few-shot anomaly. */
  scatter: { imageId: number; x: number; y: number }[];
  /**
   * Aligned masks and generated pairs that belong to no cluster: their cluster was removed and
   * no cluster holds their few-shot source image. Shown as a warning, never hidden.
   */
  orphaned: { alignedMasks: number; samples: number };
  /** CH and DB of the clusters as they are now, recomputed after every edit; null unless 2 to n−1 clusters with features. */
  partition: { k: number; ch: number; db: number } | null;
  canUndo: boolean;
  canRedo: boolean;
}

export interface RegionInfo {
  id: number;
  name: string;
  colour: string;
}

export interface RegionState {
  categoryId: number;
  regions: RegionInfo[];
  /** Images whose regions the user drew (the propagation's exemplars). */
  labelled: { imageId: number; relPath: string; regions: string[] }[];
  /** Propagated images, lowest confidence first. */
  propagated: { imageId: number; relPath: string; confidence: number; flagged: boolean; status: string }[];
}

export interface ImageRegions {
  imageId: number;
  regions: {
    regionId: number;
    region: string;
    colour: string;
    maskId: number;
    source: 'label' | 'propagated';
    area: number;
    confidence: number | null;
    status: string;
    vectors: unknown;
    /** The region's mask PNG (0/255, image size), absolute. */
    file: string;
  }[];
}

/** regions.segment's answer: the segmenter's mask at image size. */
export interface SegmentResult {
  imageId: number;
  width: number;
  height: number;
  /** Base64 PNG, 8-bit gray, 255 = inside (the same encoding regions.saveLabel takes). */
  png: string;
  area: number;
  /** The segmenter pack that produced it. */
  pack: string;
}

export interface AlignedMaskInfo {
  id: number;
  clusterId: number | null;
  cluster: string;
  normalImageId: number;
  sourceImageId: number | null;
  sourceMaskId: number | null;
  /** The masks job that made it (null once that job's record is gone). */
  jobId: number | null;
  region: string | null;
  mode: string;
  insideFraction: number;
  seed: number;
  width: number;
  height: number;
  area: number;
  /** The aligned mask PNG (0/255, the normal image's size), absolute. */
  file: string;
  /** The normal image it was placed on, absolute. */
  normalImageFile: string;
  /** The binarised mask of the few-shot exemplar it was made from; null for a logical mask. */
  sourceMaskFile: string | null;
}

export interface AlignedMaskPage {
  total: number;
  offset: number;
  items: AlignedMaskInfo[];
}

export interface SampleInfo {
  id: number;
  categoryId: number;
  clusterId: number | null;
  cluster: string;
  alignedMaskId: number;
  normalImageId: number;
  sourceImageId: number | null;
  generator: string;
  seed: number;
  blendMode: string;
  width: number;
  height: number;
  /** Anomaly Region Score (Eq. 7); null until scored. */
  ars: number | null;
  /** Among the n_keep best of its cluster. */
  kept: boolean;
  /** A heat map of the score is available (`{kind: 'scoreMap', id}`). */
  hasScoreMap: boolean;
  /** The user's word, which overrides the filter. */
  decision: 'accepted' | 'rejected' | null;
  /**
   * The alignment rule (METHOD.md §2b): the largest change outside the mask grown by its band,
   * and the pixels changed by more than 8 grey levels there (a pair with any is never exported
   * as a synthetic pair); null for pairs made before it was recorded.
   */
  outsideChange: { max: number; overTolerance: number } | null;
  /**
   * The label shows a defect (METHOD.md §2b): the fraction of the mask's pixels that changed by
   * more than 8 grey levels; under 0.1 the pair is never exported as a synthetic pair. Null for
   * pairs made before it was recorded.
   */
  insideVisible: number | null;
  /**
   * Its defect's contrast to the surface (|ΔL*| inside vs a ring) over its cluster's median
   * exemplar's; null when not recorded or the cluster has no measurable contrast.
   */
  contrastRatio: number | null;
  /** The random draws that made the pair (contrast gain, logical exemplar, fallback), as recorded. */
  draws: Record<string, unknown> | null;
  /** The generated image PNG, absolute. */
  file: string;
  /** Its mask: the aligned mask's PNG, absolute. */
  maskFile: string;
}

/**
 * The scorer's own check on real data it never learnt from: the max score of held-out real
 * anomalies against held-out normal images, as image AUROC, overall and per defect type.
 */
export interface ScorerSelfCheck {
  imageAuroc: number | null;
  /** AUROC of the patch scores against the held-out anomalies' real masks (how well the heat map finds the defect); absent on older scorers. */
  patchAuroc?: number | null;
  normals: number;
  anomalies: number;
  /** Absent on scorers trained before it was recorded. */
  byDefectType?: { defectType: string; imageAuroc: number | null; anomalies: number }[];
  /**
   * Which normal model scores the pairs and why: every candidate's self-check image AUROC and
   * the reason for the choice. Absent on scorers trained before models were compared (SimpleNet).
   */
  model?: ScorerModelChoice;
}

/** The scorer's normal models (METHOD.md §5, issue 15). */
export type ScorerModelKind = 'simplenet' | 'gaussian' | 'padim';

export interface ScorerModelChoice {
  kind: ScorerModelKind;
  /** Its scores are z-scores against held-out normal images per location (issue 15); absent on scorers stored before. */
  calibrated?: boolean;
  /** auto: chosen by the self-check; user: the model the run asked for; backbone: a backbone pack's features always train SimpleNet (the paper's). */
  chosenBy: 'auto' | 'user' | 'backbone';
  reason: string;
  candidates: { kind: ScorerModelKind; calibrated?: boolean; imageAuroc: number | null; patchAuroc?: number | null; seconds: number }[];
}

/** The category's current scorer (the newest), as the Review screen shows it. */
export interface ScorerInfo {
  id: number;
  createdAt: string;
  /** F_β's id: the built-in descriptor or a backbone pack with its version. */
  extractor: string;
  /** The normal model that scores the pairs (SimpleNet for scorers stored before the choice existed). */
  model: ScorerModelKind;
  epochs: number;
  batchImages: number;
  patchFraction: number;
  maxTrainImages: number;
  /** Mean truncated-L1 loss of the last epoch. */
  finalLoss: number | null;
  selfCheck: ScorerSelfCheck | null;
}

export interface SamplePage {
  total: number;
  offset: number;
  items: SampleInfo[];
  counts: { total: number; scored: number; kept: number; accepted: number; rejected: number };
}

/** Model-pack kinds (ARCHITECTURE.md "Models"); the schemas live in core/onnx/pack-schema.ts. */
export type PackKindName = 'backbone' | 'segmenter' | 'sd15-onnx' | 'gaa-concepts';

/** How far a model pack install is: bytes of the files pack.json lists, copied so far of their total. */
export interface PackInstallProgress {
  source: string;
  done: number;
  total: number;
  /** The file being copied, or null while the copy is checked (hashes, models). */
  file: string | null;
}

export interface PackInfo {
  name: string;
  kind: PackKindName;
  version: string;
  licence: string;
  description: string | null;
  /** Absolute folder of the installed pack. */
  dir: string;
  /** Bytes of every file in the pack folder, pack.json included. */
  sizeBytes: number;
  /** The files pack.json lists, with their size on disk (null if the file went missing since install). */
  files: { path: string; sha256: string; bytes: number | null }[];
  /** Model roles the pack provides (e.g. 'unet', 'backbone'). */
  models: string[];
}

export interface PackListInfo {
  packsDir: string;
  packs: PackInfo[];
  /** Folders in packsDir that are not a readable pack, each with why. */
  broken: { dir: string; reason: string }[];
}

export type ProviderPreference = 'auto' | 'cuda' | 'cpu';
export type ExecutionProviderName = 'cuda' | 'cpu';

export interface RuntimeInfo {
  preference: ProviderPreference;
  /** null: ONNX Runtime's default (one thread per core). */
  intraOpThreads: number | null;
  /** The provider a session opened with the current preference actually got (a real probe session). */
  inUse: ExecutionProviderName;
  /** Why a CUDA request (or 'auto') ended on the CPU; null when it did not. */
  fallbackReason: string | null;
  /** Providers a session could be opened with on this machine. */
  available: ExecutionProviderName[];
  /** Execution providers the installed onnxruntime-node was built with, and whether their libraries ship in the package. */
  backends: { name: string; bundled: boolean }[];
  onnxruntimeVersion: string;
  settingsFile: string;
  /** Why settings.json was ignored (defaults used); null when it was fine or absent. */
  settingsWarning: string | null;
}

/** A concept-training bundle written for an external trainer (METHOD.md §2). */
export interface ConceptBundleInfo {
  category: string;
  /** Absolute folder of the bundle (bundle.json, README.md, clusters/<id>/{images,masks}). */
  root: string;
  files: number;
  /** `id` is the project's cluster id as the concept pack must name it. */
  clusters: { id: string; name: string; members: number }[];
}

/** The category's bound gaa-concepts pack and which clusters it covers. */
export interface ConceptStatus {
  categoryId: number;
  pack: { name: string; version: string; dir: string } | null;
  /** Why the bound pack cannot be used (removed since, damaged); null when fine or none is bound. */
  problem: string | null;
  /** Every cluster of the category; `concept` false: only the exemplar generator can make its pairs. */
  clusters: { id: number; name: string; concept: boolean }[];
}

/** Outcome of importing a gaa-concepts pack for a category: installed (or already installed) and bound. */
export interface ConceptImportReport extends ConceptStatus {
  pack: { name: string; version: string; dir: string };
  /** True when an identical pack was already installed and was bound as it is. */
  alreadyInstalled: boolean;
  /** Project clusters the pack has no concept for. */
  withoutConcept: { id: number; name: string }[];
}

export type ExportFormatName = 'mvtec' | 'folder' | 'coco' | 'yolo';

/** What an export with given choices would write, before it writes (export.preview). */
/**
 * Pairs an export leaves out, by reason: `breaksAlignment`, chosen pairs that change pixels
 * outside their mask (METHOD.md §2b); `invisible`, chosen pairs whose mask barely changed (or
 * whose defect is under the contrast floor asked for); `stale`, chosen pairs made on a mask whose
 * cluster or region changed since (issue 12, item 2); `unscored`, pairs without an ARS that the selection does not
 * take (the filter keeps scored pairs only). Per category and cluster in `byCluster`.
 */
export interface ExportLeftOut {
  breaksAlignment: number;
  /** Chosen pairs whose mask shows no visible defect (under a tenth of its pixels changed, or under the contrast floor; METHOD.md §2b). */
  invisible: number;
  stale: number;
  unscored: number;
  byCluster: { category: string; cluster: string; stale: number; unscored: number; invisible: number }[];
}

export interface ExportPreviewInfo {
  /** The formats written: MVTec AD always, then the chosen ones. */
  formats: ExportFormatName[];
  /** Per category: a row per cluster (its pairs, real few-shot ones among them), `good` (train normals), `test/good` (held-out normals). */
  rows: {
    category: string;
    cluster: string;
    kind: 'pairs' | 'normals' | 'heldOutNormals';
    images: number;
    real: number;
    /** Images each written format holds of this row. */
    perFormat: Partial<Record<ExportFormatName, number>>;
  }[];
  /** Files the export writes, manifest included. */
  files: number;
  pairs: number;
  normals: number;
  heldOutNormals: number;
  /** Pairs not written, by reason: said before the export writes. */
  leftOut: ExportLeftOut;
  /** Synthetic pairs it writes, and how many the categories in scope hold (absent in older answers). */
  synthetic?: { pairs: number; inProject: number };
  /** What the user must hear before exporting: above all, an export that leaves out every synthetic pair. */
  warnings?: string[];
}
