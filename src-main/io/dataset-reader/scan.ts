/** Layout detection and the one entry point that walks a dataset into ScanItems. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, type Layout, type ScanCategory, type ScanError, type ScanItem, type ScanResult } from '../../core/dataset/types';
import { categoryListings } from './categories';
import { findDir, listDir, type Listing } from './listing';
import { isFolderCategory, scanFolderCategory } from './folder';
import { looksLikeLocoCategory, readDefectsConfig, scanLocoCategory } from './loco';
import { isTrainTestCategory, scanMvtecCategory } from './mvtec';

const EXPECTED: Record<Layout, string> = {
  mvtec: 'MVTec AD (<category>/train/good and <category>/test/<type>, masks in ground_truth/<type>/NNN_mask.png)',
  loco:
    'MVTec LOCO AD (<category>/train/good, validation/good and test/logical_anomalies or test/structural_anomalies, ' +
    'masks in ground_truth/<type>/NNN/000.png …)',
  folder: 'plain folders (good/ or normal/ beside one folder per defect type)',
};

async function openRoot(root: string): Promise<Listing> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new DatasetError(`dataset folder not found: ${root}`);
  if (!info.isDirectory()) throw new DatasetError(`dataset path is a file, not a folder: ${root}`);
  const errors: ScanError[] = [];
  const listing = await listDir(root, errors);
  if (!listing) throw new DatasetError(`cannot read dataset folder ${root}: ${errors[0]?.reason ?? 'unknown error'}`);
  return listing;
}

function hasTrainGood(listing: Listing): Promise<boolean> {
  const train = findDir(listing, 'train');
  if (!train) return Promise.resolve(false);
  return listDir(path.join(listing.dir, train), []).then((l) => l !== null && findDir(l, 'good') !== null);
}

async function detectFrom(root: Listing): Promise<Layout> {
  const trainTest = await categoryListings(root, isTrainTestCategory, []);
  for (const cat of trainTest) if (await looksLikeLocoCategory(cat)) return 'loco';
  for (const cat of trainTest) if (await hasTrainGood(cat)) return 'mvtec';
  if ((await categoryListings(root, isFolderCategory, [])).length > 0) return 'folder';
  throw new DatasetError(
    `no recognisable dataset layout in ${root.dir}; expected one of: ${Object.values(EXPECTED).join('; ')}`,
  );
}

export async function detectLayout(root: string): Promise<Layout> {
  return detectFrom(await openRoot(path.resolve(root)));
}

/** Walks the dataset into paths and labels; holds no pixels. Per-file problems land in `errors`. */
export async function scanDataset(root: string, layout: Layout | 'auto'): Promise<ScanResult> {
  const absRoot = path.resolve(root);
  const rootListing = await openRoot(absRoot);
  const chosen = layout === 'auto' ? await detectFrom(rootListing) : layout;
  const errors: ScanError[] = [];
  const isCategory = chosen === 'folder' ? isFolderCategory : isTrainTestCategory;
  const listings = await categoryListings(rootListing, isCategory, errors);
  if (listings.length === 0) {
    throw new DatasetError(`no ${chosen} categories found in ${absRoot}; expected ${EXPECTED[chosen]}`);
  }
  const categories: ScanCategory[] = [];
  const items: ScanItem[] = [];
  for (const cat of listings) {
    const category: ScanCategory = { name: path.basename(cat.dir), dir: cat.dir };
    if (chosen === 'loco') {
      const config = await readDefectsConfig(cat, errors);
      if (config !== undefined) category.defectsConfig = config;
      items.push(...(await scanLocoCategory(absRoot, cat, errors)));
    } else if (chosen === 'mvtec') {
      items.push(...(await scanMvtecCategory(absRoot, cat, errors)));
    } else {
      items.push(...(await scanFolderCategory(absRoot, cat, errors)));
    }
    categories.push(category);
  }
  return { root: absRoot, layout: chosen, categories, items, errors };
}
