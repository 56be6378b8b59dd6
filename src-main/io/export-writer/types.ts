/** How the export writers reach the file system, and the options of an export run. */

/**
 * The file-system operations the export writes through. Injectable so that a test can make a
 * write fail with EACCES or ENOSPC (tests run as root, where chmod does not stop writes).
 */
export interface ExportFs {
  /** Recursive; resolves to the first folder it had to create (undefined when all existed), as node's mkdir does. */
  mkdir(dir: string): Promise<string | undefined>;
  writeFile(file: string, data: Buffer | string): Promise<void>;
  /** Writes and fsyncs before returning (the manifest). */
  writeFileSynced(file: string, data: Buffer | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Recursive, and no error when missing. */
  remove(target: string): Promise<void>;
  /** Non-recursive removal of an empty folder; no error when missing or not empty. */
  removeEmptyDir(dir: string): Promise<void>;
  exists(target: string): Promise<boolean>;
  /** Names of the real folders (symbolic links excluded) directly inside `dir`. */
  listFolders(dir: string): Promise<string[]>;
  /** A small text file's content, or null when it is missing. */
  readText(file: string): Promise<string | null>;
  /** A second name for an existing file (a hard link); rejects where the file system has none. */
  link(existing: string, file: string): Promise<void>;
}

export interface ExportOptions {
  signal?: AbortSignal;
  /** Called after every file written, done counting up to total. */
  onProgress?: (done: number, total: number) => void;
  /** Replaces some or all of the node file-system operations (tests). */
  fs?: Partial<ExportFs>;
  /** Douglas-Peucker tolerance (pixels) for COCO and YOLO polygons; small so shapes stay exact. */
  polygonTolerance?: number;
  /** Clock for `createdAt` and the default name (tests). */
  now?: () => Date;
}
