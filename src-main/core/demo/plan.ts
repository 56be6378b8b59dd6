import { createRng, deriveSeed } from '../random';
import type { AnomalySpec, CategorySpec, Recipe } from './recipe';

/**
 * What the dataset will contain, decided before any pixel is drawn: every file's path,
 * size and private seed. Each item's seed depends only on its identity, so items can be
 * drawn in any order (or concurrently) with identical results.
 */

export interface PlannedItem {
  category: CategorySpec;
  /** Image path relative to the MVTec root, e.g. `tile/test/defect/003.png`. */
  relPath: string;
  /** Mask path relative to the MVTec root, for anomalies. */
  maskPath: string | null;
  split: 'train' | 'test';
  anomaly: AnomalySpec | null;
  width: number;
  height: number;
  seed: number;
}

export function scaledCount(n: number, scale: number): number {
  return n <= 0 ? 0 : Math.max(1, Math.round(n * scale));
}

const pad3 = (i: number) => String(i).padStart(3, '0');

export function planDataset(recipe: Recipe, seed: number, scale: number): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const cat of recipe.categories) {
    const sizeOf = (itemSeed: number) => createRng(deriveSeed(itemSeed, 'size')).pick(cat.sizes);
    const normal = (split: 'train' | 'test', count: number) => {
      for (let i = 0; i < count; i++) {
        const s = deriveSeed(seed, cat.name, split, 'good', i);
        const [width, height] = sizeOf(s);
        items.push({ category: cat, relPath: `${cat.name}/${split}/good/${pad3(i)}.png`, maskPath: null, split, anomaly: null, width, height, seed: s });
      }
    };
    normal('train', scaledCount(cat.train, scale));
    normal('test', scaledCount(cat.testGood, scale));
    const folders = [...new Set(cat.anomalies.map((a) => a.folder))];
    for (const folder of folders) {
      const entries: { spec: AnomalySpec; seed: number }[] = [];
      for (const spec of cat.anomalies.filter((a) => a.folder === folder)) {
        const n = scaledCount(spec.count, scale);
        for (let k = 0; k < n; k++) entries.push({ spec, seed: deriveSeed(seed, cat.name, 'test', folder, spec.subtype, k) });
      }
      // Subtypes pooled in one coarse folder are interleaved, as a real inspection log would be.
      createRng(deriveSeed(seed, cat.name, folder, 'order')).shuffle(entries);
      entries.forEach((e, i) => {
        const [width, height] = sizeOf(e.seed);
        items.push({
          category: cat,
          relPath: `${cat.name}/test/${folder}/${pad3(i)}.png`,
          maskPath: `${cat.name}/ground_truth/${folder}/${pad3(i)}_mask.png`,
          split: 'test',
          anomaly: e.spec,
          width,
          height,
          seed: e.seed,
        });
      });
    }
  }
  return items;
}
