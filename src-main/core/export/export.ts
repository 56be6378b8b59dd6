/**
 * One-click export (METHOD.md §6): MVTec AD always, anomalib Folder, COCO and YOLO-seg on
 * request, and manifest.json, written into a temporary folder inside the destination and
 * renamed into place only when complete.
 */
import path from 'node:path';
import { FOLDER_DIRS, folderDatamoduleYaml } from './anomalib';
import { CocoBuilder } from './coco';
import { maskInstances } from './components';
import { abortError, describeWriteFailure, nodeExportFs } from './fs';
import { manifestFile, MANIFEST_VERSION, type Manifest, type ManifestFile, type ManifestNormal } from './manifest';
import { defaultExportName, FolderNames, isPlainFolderName, serial } from './names';
import { loadMask, loadPng, maskPng } from './pixels';
import { sweepAbandonedStaging, writeStaged, type Staging } from './staging';
import {
  ExportError,
  type ExportFormat,
  type ExportFs,
  type ExportOptions,
  type ExportRequest,
  type ExportResult,
} from './types';
import { yoloDataYaml, yoloLabel } from './yolo';

const FORMATS: readonly ExportFormat[] = ['mvtec', 'folder', 'coco', 'yolo'];
/** The counts key of held-out normals: a path, so no (sanitised) cluster folder name can take it. */
export const HELD_OUT_KEY = 'test/good';
/** Below half a pixel: drops only (near-)collinear contour corners, so polygons keep the mask's shape. */
const DEFAULT_POLYGON_TOLERANCE = 0.1;
/** Top-level names a category folder must not take. */
const RESERVED_ROOT_NAMES = ['folder', 'coco', 'yolo', 'manifest.json'];

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

function checkRequest(req: ExportRequest): void {
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

export async function exportDataset(req: ExportRequest, opts: ExportOptions = {}): Promise<ExportResult> {
  checkRequest(req);
  if (opts.signal?.aborted) throw abortError();
  const fs: ExportFs = { ...nodeExportFs, ...opts.fs };
  const now = (opts.now ?? (() => new Date()))();
  const outDir = path.resolve(req.outDir);
  const name = req.name ?? defaultExportName(now);
  const finalRoot = path.join(outDir, name);
  const alreadyExists = (): ExportError =>
    new ExportError('already-exists', `an export named "${name}" already exists in ${outDir}; choose another name`, outDir);

  // The outermost folder this export created on the way to outDir, removed again on failure.
  let createdFrom: string | undefined;
  try {
    if (!(await fs.exists(outDir))) createdFrom = await fs.mkdir(outDir);
    else await sweepAbandonedStaging(fs, outDir);
    const formats = new Set<ExportFormat>(['mvtec', ...req.formats]);
    const done = await writeStaged({
      fs,
      outDir,
      name,
      total: plannedFiles(req, formats),
      signal: opts.signal,
      onProgress: opts.onProgress,
      alreadyExists,
      write: (staging) => writeAll(req, formats, staging, finalRoot, now, opts.polygonTolerance ?? DEFAULT_POLYGON_TOLERANCE),
    });
    return {
      root: done.root,
      files: done.files,
      manifestPath: path.join(done.root, 'manifest.json'),
      counts: done.written,
    };
  } catch (e) {
    if (createdFrom !== undefined) await removeCreatedChain(fs, outDir, createdFrom);
    throw describeWriteFailure(e, outDir);
  }
}

/** Removes outDir and each empty parent up to `top`, the first folder the export created. */
async function removeCreatedChain(fs: ExportFs, outDir: string, top: string): Promise<void> {
  const stop = path.resolve(top);
  for (let dir = outDir; ; dir = path.dirname(dir)) {
    await fs.removeEmptyDir(dir).catch(() => undefined);
    if (dir === stop || path.dirname(dir) === dir) return;
  }
}

async function writeAll(
  req: ExportRequest,
  formats: ReadonlySet<ExportFormat>,
  out: Staging,
  finalRoot: string,
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
    const image = await loadPng({ path: normal.path });
    const rel = `${cat.folder}/train/good/${serial(index)}.png`;
    await out.write(rel, image.png);
    if (formats.has('folder')) await out.write(`folder/${cat.folder}/${FOLDER_DIRS.normal}/${serial(index)}.png`, image.png);
    normals.push({ image: rel, category: normal.category, sourceImage: path.resolve(normal.path) });
  }
  // MVTec AD's own layout: anomalib evaluates a model on test/good beside the defect folders.
  for (const normal of req.heldOutNormals ?? []) {
    out.throwIfAborted();
    const cat = categoryOf(normal.category);
    const index = cat.counts[HELD_OUT_KEY] ?? 0;
    cat.counts[HELD_OUT_KEY] = index + 1;
    const image = await loadPng({ path: normal.path });
    const rel = `${cat.folder}/test/good/${serial(index)}.png`;
    await out.write(rel, image.png);
    normals.push({ image: rel, category: normal.category, sourceImage: path.resolve(normal.path) });
  }

  const files: ManifestFile[] = [];
  for (const [i, pair] of req.pairs.entries()) {
    out.throwIfAborted();
    const cat = categoryOf(pair.category);
    cat.hasPairs = true;
    const cluster = cat.clusters.folderOf(pair.cluster);
    const index = cat.next.get(cluster) ?? 0;
    cat.next.set(cluster, index + 1);
    cat.counts[cluster] = index + 1;

    const image = await loadPng(pair.image);
    const mask = await loadMask(pair.mask);
    if (mask.width !== image.width || mask.height !== image.height) {
      throw new ExportError(
        'invalid-input',
        `pair ${i + 1} (${pair.category} / ${pair.cluster}): the mask is ${mask.width}×${mask.height} but the image is ` +
          `${image.width}×${image.height}; a mask is never resized`,
      );
    }
    const maskBytes = await maskPng(mask);
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
      if (formats.has('coco')) cat.coco.addImage(imageRel, image.width, image.height, pair.cluster, instances);
      if (formats.has('yolo')) {
        let classIndex = cat.yoloClasses.indexOf(pair.cluster);
        if (classIndex < 0) classIndex = cat.yoloClasses.push(pair.cluster) - 1;
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
      const root = path.join(finalRoot, 'folder', cat.folder);
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
