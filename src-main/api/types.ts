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

export type JobKind = 'import';
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

export interface JobFinished {
  jobId: number;
  kind: JobKind;
  status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>;
  error: string | null;
  result: unknown;
}
