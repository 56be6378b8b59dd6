/**
 * MVTec LOCO AD: `<category>/train/good`, `validation/good`, `test/{good,logical_anomalies,
 * structural_anomalies}` and `ground_truth/<type>/NNN/000.png, 001.png …`, one file per
 * anomalous region of image `test/<type>/NNN.png`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stemKey, stemOf } from '../../core/dataset/names';
import type { ScanError, ScanItem } from '../../core/dataset/types';
import { anomalyItem, normalItems } from './categories';
import { errorCode, findDir, listDir, relPathOf, type Listing } from './listing';

const LOCO_ANOMALY_TYPES = ['logical_anomalies', 'structural_anomalies'];

/** The marks that tell LOCO from MVTec AD: a validation split and LOCO's anomaly folder names. */
export async function looksLikeLocoCategory(cat: Listing): Promise<boolean> {
  const testName = findDir(cat, 'test');
  if (!findDir(cat, 'validation') || !testName) return false;
  const test = await listDir(path.join(cat.dir, testName), []);
  return test !== null && LOCO_ANOMALY_TYPES.some((t) => findDir(test, t) !== null);
}

/** `defects_config.json` parsed, undefined when absent; a broken one is reported and skipped. */
export async function readDefectsConfig(cat: Listing, errors: ScanError[]): Promise<unknown> {
  const file = path.join(cat.dir, 'defects_config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') errors.push({ file, reason: `cannot read defects_config.json (${errorCode(e)})` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    errors.push({ file, reason: `defects_config.json is not valid JSON (${(e as Error).message})` });
    return undefined;
  }
}

export async function scanLocoCategory(root: string, cat: Listing, errors: ScanError[]): Promise<ScanItem[]> {
  const category = path.basename(cat.dir);
  const items: ScanItem[] = [];
  for (const [split, origin] of [['train', 'train'], ['validation', 'validation']] as const) {
    const splitName = findDir(cat, split);
    if (!splitName) continue;
    const splitListing = await listDir(path.join(cat.dir, splitName), errors);
    const good = splitListing && findDir(splitListing, 'good');
    if (good) items.push(...(await normalItems(root, category, path.join(splitListing.dir, good), origin, errors)));
  }

  const testName = findDir(cat, 'test');
  const test = testName ? await listDir(path.join(cat.dir, testName), errors) : null;
  if (!test) return items;
  const gtName = findDir(cat, 'ground_truth');
  const gt = gtName ? await listDir(path.join(cat.dir, gtName), errors) : null;

  for (const type of test.dirs) {
    const typeDir = path.join(test.dir, type);
    if (type.toLowerCase() === 'good') {
      items.push(...(await normalItems(root, category, typeDir, 'test', errors)));
      continue;
    }
    const images = await listDir(typeDir, errors);
    if (!images) continue;
    const gtTypeName = gt && findDir(gt, type);
    const gtType = gtTypeName ? await listDir(path.join(gt.dir, gtTypeName), errors) : null;
    const regionDirs = new Map((gtType?.dirs ?? []).map((d) => [stemKey(d), d]));
    const claimed = new Set<string>();
    for (const name of images.images) {
      const imagePath = path.join(typeDir, name);
      const stem = stemOf(name);
      const regionDirName = regionDirs.get(stemKey(stem));
      if (!gtType || !regionDirName) {
        const expected = relPathOf(root, path.join(cat.dir, 'ground_truth', type, stem));
        errors.push({ file: imagePath, reason: `no mask folder found for this anomaly image (expected ${expected}/000.png …)` });
        continue;
      }
      claimed.add(regionDirName);
      const regions = await listDir(path.join(gtType.dir, regionDirName), errors);
      if (!regions) continue;
      if (regions.images.length === 0) {
        errors.push({ file: imagePath, reason: `mask folder ${relPathOf(root, regions.dir)} holds no region mask files` });
        continue;
      }
      const maskPaths = regions.images.map((n) => path.join(regions.dir, n));
      items.push(anomalyItem(root, category, type, imagePath, maskPaths, true));
    }
    for (const d of gtType?.dirs ?? []) {
      if (!claimed.has(d)) errors.push({ file: path.join(gtType!.dir, d), reason: 'mask folder has no matching image' });
    }
  }

  for (const type of gt?.dirs ?? []) {
    if (!findDir(test, type)) {
      errors.push({ file: path.join(gt!.dir, type), reason: `mask folder has no matching test/${type} image folder` });
    }
  }
  return items;
}
