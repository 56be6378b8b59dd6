import { NUTBOX_ANOMALIES, NUTBOX_REGIONS } from './nutbox';
import { planDataset, type PlannedItem } from './plan';
import { parseRecipe, type Recipe } from './recipe';
import { renderItem } from './render';
import { TILE_DEFECTS } from './tile';

/**
 * The built-in demo dataset: a seeded, procedurally photographed MVTec-AD-layout dataset
 * (a texture category and a LOCO-style object category) plus hidden ground truth that
 * tests use to judge the pipeline and the pipeline itself never reads. Drawing is pure; the
 * files are written through a DemoSink (io/demo-writer.ts writes them to disk).
 */

export interface DemoCategorySummary {
  name: string;
  normal: number;
  anomaly: number;
  /** Anomaly images per folder under test/ (the coarse type the importer sees). */
  defectTypes: Record<string, number>;
  /** Anomaly images per hidden subtype (what clustering should recover). */
  subtypes: Record<string, number>;
  sizes: [number, number][];
}

export interface DemoTruth {
  version: string;
  seed: number;
  scale: number;
  categories: Record<
    string,
    {
      anomalies: Record<string, { subtype: string; kind: 'structural' | 'logical'; mask: string }>;
      regions: { names: string[]; images: Record<string, Record<string, string>> };
    }
  >;
}

/** Where the drawn images go: `tree` is the dataset (`mvtec`) or the hidden ground truth (`truth`). */
export interface DemoSink {
  writePng(tree: 'mvtec' | 'truth', rel: string, pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<void>;
}

/** Encodes in flight while the next image is drawn (the sink encodes off the drawing thread). */
const MAX_PENDING_WRITES = 6;

/** The recipe (resources/demo/recipe.json, parsed) checked for unknown subtypes and regions before anything is drawn. */
export function checkRecipe(json: unknown): Recipe {
  const recipe = parseRecipe(json);
  // Fail on an unknown subtype or region before drawing anything, not halfway through.
  for (const cat of recipe.categories) {
    const known: readonly string[] = cat.generator === 'tile' ? TILE_DEFECTS : NUTBOX_ANOMALIES;
    for (const a of cat.anomalies) {
      if (!known.includes(a.subtype)) throw new Error(`demo recipe: ${cat.name} has no anomaly subtype "${a.subtype}" (known: ${known.join(', ')})`);
    }
    if (cat.generator !== 'nutbox') continue;
    const unknown = cat.scene.regions.filter((r) => !(NUTBOX_REGIONS as readonly string[]).includes(r));
    if (unknown.length) throw new Error(`demo recipe: nutbox regions ${unknown.join(', ')} are not drawn (known: ${NUTBOX_REGIONS.join(', ')})`);
  }
  return recipe;
}

/** Draws every image, mask and region mask of the recipe into `sink`; returns the hidden truth and the per-category summary. */
export async function drawDemoDataset(
  recipe: Recipe,
  seed: number,
  scale: number,
  sink: DemoSink,
): Promise<{ truth: DemoTruth; categories: DemoCategorySummary[] }> {
  if (!(scale > 0)) throw new Error(`demo: scale must be > 0 (got ${scale})`);
  const items = planDataset(recipe, seed, scale);
  const truth: DemoTruth = { version: recipe.version, seed, scale, categories: {} };
  for (const cat of recipe.categories) {
    const names = cat.generator === 'nutbox' ? [...cat.scene.regions] : [];
    truth.categories[cat.name] = { anomalies: {}, regions: { names, images: {} } };
  }

  const pending: Promise<void>[] = [];
  for (const item of items) {
    const shot = renderItem(item, seed);
    const writes: Promise<void>[] = [sink.writePng('mvtec', item.relPath, shot.pixels, item.width, item.height, 3)];
    const catTruth = truth.categories[item.category.name];
    if (item.anomaly && item.maskPath && shot.mask) {
      writes.push(sink.writePng('mvtec', item.maskPath, shot.mask, item.width, item.height, 1));
      catTruth.anomalies[item.relPath] = { subtype: item.anomaly.subtype, kind: item.anomaly.kind, mask: item.maskPath };
    }
    if (shot.regions && catTruth.regions.names.length) {
      const entry: Record<string, string> = {};
      for (const name of catTruth.regions.names) {
        const rel = `regions/${item.relPath.replace(/\.png$/, '')}_${name}.png`;
        entry[name] = rel;
        writes.push(sink.writePng('truth', rel, shot.regions[name], item.width, item.height, 1));
      }
      catTruth.regions.images[item.relPath] = entry;
    }
    pending.push(Promise.all(writes).then(() => undefined));
    if (pending.length >= MAX_PENDING_WRITES) await pending.shift();
  }
  await Promise.all(pending);
  return { truth, categories: summarise(recipe, items) };
}

function summarise(recipe: Recipe, items: PlannedItem[]): DemoCategorySummary[] {
  return recipe.categories.map((cat) => {
    const mine = items.filter((i) => i.category.name === cat.name);
    const defectTypes: Record<string, number> = {};
    const subtypes: Record<string, number> = {};
    const sizes = new Map<string, [number, number]>();
    for (const i of mine) {
      sizes.set(`${i.width}x${i.height}`, [i.width, i.height]);
      if (!i.anomaly) continue;
      defectTypes[i.anomaly.folder] = (defectTypes[i.anomaly.folder] ?? 0) + 1;
      subtypes[i.anomaly.subtype] = (subtypes[i.anomaly.subtype] ?? 0) + 1;
    }
    return {
      name: cat.name,
      normal: mine.filter((i) => !i.anomaly).length,
      anomaly: mine.filter((i) => i.anomaly).length,
      defectTypes,
      subtypes,
      sizes: [...sizes.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    };
  });
}
