/**
 * Plain folders: `good/` (or `normal/`) beside one folder per defect type. Masks sit beside
 * their image (`x_mask.png`, or `x.png` next to `x.jpg`) or in a parallel
 * `ground_truth/<type>/` or `masks/<type>/` tree, with or without the `_mask` suffix.
 */
import path from 'node:path';
import { stemKey, stemOf, stripMaskSuffix } from '../../core/dataset/names';
import type { ScanError, ScanItem } from '../../core/dataset/types';
import { anomalyItem, normalItem } from './categories';
import { brokenPaths, findDir, listDir, relPathOf, type Listing } from './listing';
import { pairByStem } from './pairing';

const NORMAL_DIRS = ['good', 'normal'];
const MASK_TREES = ['ground_truth', 'masks'];

export function isFolderCategory(listing: Listing): boolean {
  return NORMAL_DIRS.some((d) => findDir(listing, d) !== null);
}

export async function scanFolderCategory(root: string, cat: Listing, errors: ScanError[]): Promise<ScanItem[]> {
  const category = path.basename(cat.dir);
  const items: ScanItem[] = [];
  const reserved = new Set([...NORMAL_DIRS, ...MASK_TREES]);

  for (const normal of NORMAL_DIRS) {
    const name = findDir(cat, normal);
    if (!name) continue;
    const listing = await listDir(path.join(cat.dir, name), errors);
    for (const file of listing?.images ?? []) {
      const imagePath = path.join(listing!.dir, file);
      if (stripMaskSuffix(stemOf(file)) === null) items.push(normalItem(root, category, imagePath, 'train'));
      else errors.push({ file: imagePath, reason: 'mask file in a normal-image folder; ignored' });
    }
  }

  const trees: Listing[] = [];
  for (const tree of MASK_TREES) {
    const name = findDir(cat, tree);
    const listing = name ? await listDir(path.join(cat.dir, name), errors) : null;
    if (listing) trees.push(listing);
  }

  const defectTypes = cat.dirs.filter((d) => !reserved.has(d.toLowerCase()));
  for (const type of defectTypes) {
    const typeDir = path.join(cat.dir, type);
    const listing = await listDir(typeDir, errors);
    if (!listing) continue;
    const { images, masks } = splitBesideMasks(listing);
    const brokenMasks = brokenPaths(listing);
    for (const tree of trees) {
      const sub = findDir(tree, type);
      const treeListing = sub ? await listDir(path.join(tree.dir, sub), errors) : null;
      if (treeListing) masks.push(...treeListing.images.map((n) => path.join(treeListing.dir, n)));
      for (const [p, why] of brokenPaths(treeListing)) brokenMasks.set(p, why);
    }
    const pairs = pairByStem(
      {
        root,
        images,
        masks,
        brokenMasks,
        expectedMask: (image) => {
          const stem = stemOf(path.basename(image));
          const beside = relPathOf(root, path.join(typeDir, `${stem}_mask.png`));
          const tree = relPathOf(root, path.join(cat.dir, 'ground_truth', type, `${stem}.png`));
          return `${beside}, or ${tree}`;
        },
      },
      errors,
    );
    for (const [image, mask] of pairs) items.push(anomalyItem(root, category, type, image, [mask], false));
  }

  for (const tree of trees) {
    for (const sub of tree.dirs) {
      if (!defectTypes.some((t) => t.toLowerCase() === sub.toLowerCase())) {
        errors.push({ file: path.join(tree.dir, sub), reason: `mask folder has no matching ${sub}/ image folder` });
      }
    }
  }
  return items;
}

/**
 * Inside a defect folder, `x_mask.*` is a mask; of `x.png` beside `x.jpg` (same stem, the only
 * PNG among them) the PNG is the mask, since datasets keep lossless masks next to JPEG images.
 */
function splitBesideMasks(listing: Listing): { images: string[]; masks: string[] } {
  const images: string[] = [];
  const masks: string[] = [];
  const byStem = new Map<string, string[]>();
  for (const name of listing.images) {
    const stem = stemOf(name);
    if (stripMaskSuffix(stem) !== null) {
      masks.push(path.join(listing.dir, name));
      continue;
    }
    const key = stemKey(stem);
    byStem.set(key, [...(byStem.get(key) ?? []), name]);
  }
  for (const names of byStem.values()) {
    const pngs = names.filter((n) => path.extname(n).toLowerCase() === '.png');
    if (names.length >= 2 && pngs.length === 1) {
      masks.push(path.join(listing.dir, pngs[0]));
      images.push(...names.filter((n) => n !== pngs[0]).map((n) => path.join(listing.dir, n)));
    } else {
      images.push(...names.map((n) => path.join(listing.dir, n)));
    }
  }
  return { images, masks };
}
