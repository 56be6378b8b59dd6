/**
 * MVTec AD: `<category>/train/good`, `test/good`, `test/<type>` and
 * `ground_truth/<type>/NNN_mask.png`, paired with `test/<type>/NNN.png` by stem.
 */
import path from 'node:path';
import { stemOf } from '../../core/dataset/names';
import type { ScanError, ScanItem } from '../../core/dataset/types';
import { anomalyItem, normalItems } from './categories';
import { brokenPaths, findDir, listDir, relPathOf, type Listing } from './listing';
import { pairByStem } from './pairing';

export function isTrainTestCategory(listing: Listing): boolean {
  return findDir(listing, 'train') !== null && findDir(listing, 'test') !== null;
}

export async function scanMvtecCategory(root: string, cat: Listing, errors: ScanError[]): Promise<ScanItem[]> {
  const category = path.basename(cat.dir);
  const items: ScanItem[] = [];
  const trainDir = path.join(cat.dir, findDir(cat, 'train')!);
  const train = await listDir(trainDir, errors);
  const trainGood = train && findDir(train, 'good');
  if (trainGood) items.push(...(await normalItems(root, category, path.join(trainDir, trainGood), 'train', errors)));

  const testDir = path.join(cat.dir, findDir(cat, 'test')!);
  const test = await listDir(testDir, errors);
  if (!test) return items;
  const gtName = findDir(cat, 'ground_truth');
  const gt = gtName ? await listDir(path.join(cat.dir, gtName), errors) : null;

  for (const type of test.dirs) {
    const typeDir = path.join(testDir, type);
    if (type.toLowerCase() === 'good') {
      items.push(...(await normalItems(root, category, typeDir, 'test', errors)));
      continue;
    }
    const images = await listDir(typeDir, errors);
    if (!images) continue;
    const gtType = gt && findDir(gt, type);
    const masks = gtType ? await listDir(path.join(gt.dir, gtType), errors) : null;
    const pairs = pairByStem(
      {
        root,
        images: images.images.map((n) => path.join(typeDir, n)),
        masks: masks ? masks.images.map((n) => path.join(masks.dir, n)) : [],
        brokenMasks: brokenPaths(masks),
        expectedMask: (image) =>
          relPathOf(root, path.join(cat.dir, 'ground_truth', type, `${stemOf(path.basename(image))}_mask.png`)),
      },
      errors,
    );
    for (const [image, mask] of pairs) items.push(anomalyItem(root, category, type, image, [mask], false));
  }

  for (const type of gt?.dirs ?? []) {
    if (!findDir(test, type)) {
      errors.push({ file: path.join(gt!.dir, type), reason: `mask folder has no matching test/${type} image folder` });
    }
  }
  return items;
}
