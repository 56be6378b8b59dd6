/**
 * One-click export (METHOD.md §6): which files MVTec AD (always), anomalib Folder, COCO and
 * YOLO-seg get and what goes in them, and manifest.json. Pure: the files are written through
 * an ExportTarget and the pixels come from ExportPixels (io/export-writer writes them into a
 * temporary folder inside the destination, renamed into place only when complete).
 */
import type { Mask } from '../image/raster';
import { FOLDER_DIRS, folderDatamoduleYaml } from './anomalib';
import { CocoBuilder } from './coco';
import { maskInstances } from './components';
import { manifestFile, MANIFEST_VERSION, type Manifest, type ManifestFile, type ManifestNormal } from './manifest';
import { FolderNames, isPlainFolderName, serial } from './names';
import { ExportError, type ExportFormat, type ExportImageSource, type ExportRequest } from './types';
import { yoloDataYaml, yoloLabel } from './yolo';

export const FORMATS: readonly ExportFormat[] = ['mvtec', 'folder', 'coco', 'yolo'];
/** The counts key of held-out normals: a path, so no (sanitised) cluster folder name can take it. */
export const HELD_OUT_KEY = 'test/good';
/** Below half a pixel: drops only (near-)collinear contour corners, so polygons keep the mask's shape. */
export const DEFAULT_POLYGON_TOLERANCE = 0.1;
/** Top-level names a category folder must not take. */
const RESERVED_ROOT_NAMES = ['folder', 'coco', 'yolo', 'manifest.json'];

/** Where the export's files go. */
export interface ExportTarget {
  /** Writes `rel` (forward slashes, relative to the export root); `synced` makes it durable before returning. */
  write(rel: string, data: Buffer | string, synced?: boolean): Promise<void>;
  /** Throws the cancellation error once the export was cancelled. */
  throwIfAborted(): void;
  /** The absolute path `rel` will have once the export is in place (written into the anomalib configs). */
  finalPath(rel: string): string;
}

export interface PngImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Where the export's pixels come from. */
export interface ExportPixels {
  /** The image as PNG bytes: a PNG byte for byte, anything else converted losslessly. */
  loadPng(src: ExportImageSource): Promise<PngImage>;
  /** The mask binarised (METHOD.md §0: on at half the mask's maximum or more). */
  loadMask(src: ExportImageSource): Promise<Mask>;
  /** A binarised mask as the 1-channel 0/255 PNG every export writes. */
  maskPng(mask: Mask): Promise<Buffer>;
}

interface CategoryState {
  folder: string;
  clusters: FolderNames;
  /** Next serial per cluster folder. */
  next: Map<string, number>;
  /** YOLO class index per cluster name, in order of first appearance. */
  yoloClasses: string[];
  coco: CocoBuilder;
  counts: Record<string, number>;
  hasPairs: boolean;
  hasNormals: boolean;
}

export function checkRequest(req: ExportRequest): void {
  for (const f of req.formats) {
    if (!FORMATS.includes(f)) throw new ExportError('invalid-input', `unknown export format "${String(f)}"`);
  }
  if (req.name !== undefined && !isPlainFolderName(req.name)) {
    throw new ExportError('invalid-input', `"${req.name}" is not a usable folder name (one name, no slashes)`);
  }
  if (req.pairs.length === 0 && req.normals.length === 0 && (req.heldOutNormals ?? []).length === 0) {
    throw new ExportError('invalid-input', 'nothing to export: no pairs and no normal images');
  }
}

/** Exact number of files the export will write, for progress and the preview. */
export function plannedFiles(req: Pick<ExportRequest, 'pairs' | 'normals' | 'heldOutNormals'>, formats: ReadonlySet<ExportFormat>): number {
  const heldOut = req.heldOutNormals ?? [];
  const categories = new Set([...req.pairs.map((p) => p.category), ...req.normals.map((n) => n.category), ...heldOut.map((n) => n.category)]);
  const pairCategories = new Set(req.pairs.map((p) => p.category));
  let n = req.normals.length + heldOut.length + 2 * req.pairs.length + 1;
  if (formats.has('folder')) n += req.normals.length + 2 * req.pairs.length + categories.size;
  if (formats.has('coco')) n += pairCategories.size;
  if (formats.has('yolo')) n += 2 * req.pairs.length + pairCategories.size;
  return n;
}

/**
 * Writes every file of the export into `out`. Paths in `req` (normals, normal images) are
 * recorded in the manifest as given, so the caller hands them in absolute.
 * @returns per category folder, per cluster folder the number of pairs, and `good` the normals
 */
export async function writeExportFiles(
  req: ExportRequest,
  formats: ReadonlySet<ExportFormat>,
  out: ExportTarget,
  pixels: ExportPixels,
  now: Date,
  tolerance: number,
): Promise<Record<string, Record<string, number>>> {
  const categoryFolders = new FolderNames('category', RESERVED_ROOT_NAMES);
  const categories = new Map<string, CategoryState>();
  const categoryOf = (category: string): CategoryState => {
    let state = categories.get(category);
    if (!state) {
      state = {
        folder: categoryFolders.folderOf(category),
        clusters: new FolderNames('cluster', ['good']),
        next: new Map(),
        yoloClasses: [],
        coco: new CocoBuilder(category),
        counts: {},
        hasPairs: false,
        hasNormals: false,
      };
      categories.set(category, state);
    }
    return state;
  };
  const createdAt = now.toISOString();

  const normals: ManifestNormal[] = [];
  for (const normal of req.normals) {
    out.throwIfAborted();
    const cat = categoryOf(normal.category);
    const index = cat.counts.good ?? 0;
    cat.counts.good = index + 1;
    cat.hasNormals = true;
    const image = await pixels.loadPng({ path: normal.path });
    const rel = `${cat.folder}/train/good/${serial(index)}.png`;
    await out.write(rel, image.png);
    if (formats.has('folder')) await out.write(`folder/${cat.folder}/${FOLDER_DIRS.normal}/${serial(index)}.png`, image.png);
    normals.push({ image: rel, category: normal.category, sourceImage: normal.path });
  }
  // MVTec AD's own layout: anomalib evaluates a model on test/good beside the defect folders.
  for (const normal of req.heldOutNormals ?? []) {
    out.throwIfAborted();
    const cat = categoryOf(normal.category);
    const index = cat.counts[HELD_OUT_KEY] ?? 0;
    cat.counts[HELD_OUT_KEY] = index + 1;
    const image = await pixels.loadPng({ path: normal.path });
    const rel = `${cat.folder}/test/good/${serial(index)}.png`;
    await out.write(rel, image.png);
    normals.push({ image: rel, category: normal.category, sourceImage: normal.path });
  }

  const files: ManifestFile[] = [];
  for (const [i, pair] of req.pairs.entries()) {
    out.throwIfAborted();
    const cat = categoryOf(pair.category);
    cat.hasPairs = true;
    // The folder: the pair's imported defect type or its cluster, as the export's layout chose.
    const className = pair.folder ?? pair.cluster;
    const cluster = cat.clusters.folderOf(className);
    const index = cat.next.get(cluster) ?? 0;
    cat.next.set(cluster, index + 1);
    cat.counts[cluster] = index + 1;

    const image = await pixels.loadPng(pair.image);
    const mask = await pixels.loadMask(pair.mask);
    if (mask.width !== image.width || mask.height !== image.height) {
      throw new ExportError(
        'invalid-input',
        `pair ${i + 1} (${pair.category} / ${className}): the mask is ${mask.width}×${mask.height} but the image is ` +
          `${image.width}×${image.height}; a mask is never resized`,
      );
    }
    const maskBytes = await pixels.maskPng(mask);
    const imageRel = `${cat.folder}/test/${cluster}/${serial(index)}.png`;
    const maskRel = `${cat.folder}/ground_truth/${cluster}/${serial(index)}_mask.png`;
    await out.write(imageRel, image.png);
    await out.write(maskRel, maskBytes);

    const flatName = `${cluster}_${serial(index)}`;
    if (formats.has('folder')) {
      // Same file name on both sides: anomalib pairs abnormal images and masks by sorted name.
      await out.write(`folder/${cat.folder}/${FOLDER_DIRS.abnormal}/${flatName}.png`, image.png);
      await out.write(`folder/${cat.folder}/${FOLDER_DIRS.mask}/${flatName}.png`, maskBytes);
    }
    if (formats.has('coco') || formats.has('yolo')) {
      const instances = maskInstances(mask, tolerance);
      if (formats.has('coco')) cat.coco.addImage(imageRel, image.width, image.height, className, instances);
      if (formats.has('yolo')) {
        let classIndex = cat.yoloClasses.indexOf(className);
        if (classIndex < 0) classIndex = cat.yoloClasses.push(className) - 1;
        await out.write(`yolo/${cat.folder}/images/${flatName}.png`, image.png);
        const label = yoloLabel(classIndex, image.width, image.height, instances);
        await out.write(`yolo/${cat.folder}/labels/${flatName}.txt`, label);
      }
    }
    files.push(manifestFile(pair, imageRel, maskRel));
  }

  const counts: Record<string, Record<string, number>> = {};
  for (const cat of categories.values()) {
    counts[cat.folder] = cat.counts;
    if (formats.has('folder')) {
      const root = out.finalPath(`folder/${cat.folder}`);
      await out.write(`folder/${cat.folder}.yaml`, folderDatamoduleYaml(cat.folder, root, cat.hasNormals));
    }
    if (!cat.hasPairs) continue;
    if (formats.has('coco')) await out.write(`coco/${cat.folder}.json`, JSON.stringify(cat.coco.build(createdAt)) + '\n');
    if (formats.has('yolo')) await out.write(`yolo/${cat.folder}/data.yaml`, yoloDataYaml(cat.yoloClasses));
  }

  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    createdAt,
    formats: FORMATS.filter((f) => formats.has(f)),
    parameters: req.parameters ?? {},
    counts,
    files,
    normals,
  };
  await out.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n', true);
  return counts;
}
