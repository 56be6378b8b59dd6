/** What a dataset scan hands the import job: paths and labels only, no pixels. */

export type Layout = 'mvtec' | 'loco' | 'folder';
export type ItemOrigin = 'train' | 'validation' | 'test';

export interface ScanItem {
  category: string;
  /** Absolute. */
  imagePath: string;
  /** Relative to the dataset root that was scanned, with forward slashes. */
  relPath: string;
  kind: 'normal' | 'anomaly';
  /** `good` for normal images; the folder name for anomalies (e.g. `crack`, `logical_anomalies`). */
  defectType: string;
  origin: ItemOrigin;
  /** Absolute; [] for normals. MVTec LOCO: the region files 000.png, 001.png … in order. */
  maskPaths: string[];
  /**
   * True when each mask file is one region of the ground truth (MVTec LOCO), so decoding keeps
   * every region and adds their union; false when the single file is the whole ground truth.
   */
  regionMasks: boolean;
}

export interface ScanError {
  /** The offending file or folder, absolute. */
  file: string;
  reason: string;
}

export interface ScanCategory {
  name: string;
  /** Absolute folder of the category. */
  dir: string;
  /** MVTec LOCO `defects_config.json`, parsed, when present. */
  defectsConfig?: unknown;
}

export interface ScanResult {
  /** Absolute. */
  root: string;
  layout: Layout;
  categories: ScanCategory[];
  items: ScanItem[];
  errors: ScanError[];
}

/** A problem with the whole dataset (root missing, no recognisable layout); per-file problems are ScanErrors. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** One image or mask that cannot be used, with a reason a user can act on; the import goes on without it. */
export class ItemDecodeError extends Error {
  override name = 'ItemDecodeError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
