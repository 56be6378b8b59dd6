/** Finding category folders and listing the plain image folders every layout shares. */
import path from 'node:path';
import type { ItemOrigin, ScanError, ScanItem } from '../../core/dataset/types';
import { listDir, relPathOf, type Listing } from './listing';

/**
 * A root is either one category (it passes `isCategory` itself) or a folder of categories;
 * sub-folders that are not categories (docs, licences) are passed over.
 */
export async function categoryListings(
  root: Listing,
  isCategory: (listing: Listing) => boolean,
  errors: ScanError[],
): Promise<Listing[]> {
  if (isCategory(root)) return [root];
  const found: Listing[] = [];
  for (const name of root.dirs) {
    const listing = await listDir(path.join(root.dir, name), errors);
    if (listing && isCategory(listing)) found.push(listing);
  }
  return found;
}

/** Every image directly inside `dir` as a normal image. */
export async function normalItems(
  root: string,
  category: string,
  dir: string,
  origin: ItemOrigin,
  errors: ScanError[],
): Promise<ScanItem[]> {
  const listing = await listDir(dir, errors);
  return listing ? listing.images.map((name) => normalItem(root, category, path.join(dir, name), origin)) : [];
}

export function normalItem(root: string, category: string, imagePath: string, origin: ItemOrigin): ScanItem {
  return {
    category,
    imagePath,
    relPath: relPathOf(root, imagePath),
    kind: 'normal',
    defectType: 'good',
    origin,
    maskPaths: [],
    regionMasks: false,
  };
}

export function anomalyItem(
  root: string,
  category: string,
  defectType: string,
  imagePath: string,
  maskPaths: string[],
  regionMasks: boolean,
): ScanItem {
  return {
    category,
    imagePath,
    relPath: relPathOf(root, imagePath),
    kind: 'anomaly',
    defectType,
    origin: 'test',
    maskPaths,
    regionMasks,
  };
}
