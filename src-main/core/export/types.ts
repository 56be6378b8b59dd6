/** The export's plain-data contract (METHOD.md §6, ARCHITECTURE.md "manifest.json"). */

export type ExportFormat = 'mvtec' | 'folder' | 'coco' | 'yolo';

/**
 * A generated file given by its path (a PNG blob, or a real dataset file) or by its PNG bytes.
 * `mirror`/`flip` write it mirrored left-right / upside down (both: a half turn), as the
 * repeated copies of a real pair are.
 */
export type ExportImageSource = ({ path: string } | { png: Buffer }) & { mirror?: boolean; flip?: boolean };

export interface ExportPair {
  category: string;
  /** Cluster name as the user sees it; recorded in the manifest. */
  cluster: string;
  /** The defect type it was imported as (real) or its exemplar was (synthetic); recorded in the manifest when known. */
  defectType?: string | null;
  /** The test/ and ground_truth/ folder (and class) it goes in, sanitised; absent = its cluster. */
  folder?: string;
  image: ExportImageSource;
  /** Any 1-channel or colour mask; written out binarised (on where value ≥ half the max) as 0/255. */
  mask: ExportImageSource;
  /** Absolute path of the normal image the pair was generated on; null for real pairs. */
  normalImage: string | null;
  generator: string;
  seed: number | null;
  ars: number | null;
  /** 'real' = a few-shot pair included as-is. */
  source: 'synthetic' | 'real';
  /** Synthetic pairs: the largest change outside the mask and the pixels over the tolerance (METHOD.md §2b). */
  outsideChange?: { max: number; overTolerance: number } | null;
  /** Synthetic pairs: the fraction of the mask visibly changed (METHOD.md §2b); null when not recorded. */
  insideVisible?: number | null;
  /** Synthetic pairs: the defect's contrast over its cluster's median exemplar's; null when not recorded. */
  contrastRatio?: number | null;
  provenance?: Record<string, unknown>;
}

export interface ExportRequest {
  /** Destination root chosen by the user; created if missing (and removed again if the export fails). */
  outDir: string;
  /** Folder created inside outDir; default `gaa-export-<timestamp>`. */
  name?: string;
  /** MVTec AD is always written; the others on request. */
  formats: ExportFormat[];
  pairs: ExportPair[];
  /** train/good images to include (may be empty). */
  normals: { category: string; path: string }[];
  /**
   * test/good images: normal images held out from training, so that a trainer (anomalib's MVTec
   * datamodule) has normal images to evaluate on beside the anomalies. Absent: none.
   */
  heldOutNormals?: { category: string; path: string }[];
  /** Project settings recorded in the manifest. */
  parameters?: Record<string, unknown>;
}

export interface ExportResult {
  /** Absolute path of the finished export folder. */
  root: string;
  /** Number of files written, manifest included. */
  files: number;
  manifestPath: string;
  /**
   * Per category folder: per cluster folder the number of pairs, `good` the number of train/good
   * normals and `test/good` the number of held-out normals (a key no cluster folder can take).
   */
  counts: Record<string, Record<string, number>>;
}

export type ExportErrorKind =
  | 'permission-denied'
  | 'disk-full'
  | 'not-a-folder'
  | 'already-exists'
  | 'source-unreadable'
  | 'invalid-input'
  | 'write-failed';

/** Every failure of an export except cancellation (which is an Error named 'AbortError'). */
export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    readonly kind: ExportErrorKind,
    message: string,
    readonly dir?: string,
  ) {
    super(message);
  }
}
