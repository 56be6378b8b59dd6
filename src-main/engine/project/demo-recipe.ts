/**
 * What a user would do by hand on the demo project, written down once: the regions drawn on a
 * few normal images (taken from the demo's truth files), the rule of each kind of cluster, and
 * the demo's scorer settings. `gaa demo` and the start screen's "Open demo project" both use it.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { PlacementRule } from '../../api/types';

/** The part of the demo's hidden truth the demo stages read (the pipeline itself never does). */
export interface DemoTruth {
  categories: Record<
    string,
    {
      anomalies: Record<string, { subtype: string }>;
      regions: { names: string[]; images: Record<string, Record<string, string>> };
    }
  >;
}

export const LABELLED_IMAGES = 3;
/** Aligned masks (and pairs) per cluster, and pairs the filter keeps per cluster. */
export const DEMO_MASKS_PER_CLUSTER = 24;
export const DEMO_KEEP_PER_CLUSTER = 16;

/**
 * The rules a user would set on the demo's clusters, chosen by the clusters' coarse type:
 * a missing part is logical (the region itself is the anomaly), contamination lies inside the
 * cereal, a scratch runs along the tray's edge; texture defects where the tile's own exemplars are.
 */
export const DEMO_RULES: Record<string, { kind: 'structural' | 'logical'; rule: PlacementRule }> = {
  missing_nuts: { kind: 'logical', rule: { mode: 'logical', region: 'nuts' } },
  contamination: { kind: 'structural', rule: { mode: 'inside', region: 'cereal' } },
  scratch: { kind: 'structural', rule: { mode: 'edge', region: 'container' } },
  defect: { kind: 'structural', rule: { mode: 'learned', region: null } },
};

/**
 * Demo settings for the scorer: the paper's 160 epochs × batch 4 over every patch is the app
 * default (about 25 min here); the demo takes 30 epochs of one image per step and a random
 * quarter of its patches, which gives more, cheaper Adam steps (1200 instead of 40 × 160 / 4)
 * and reaches the same ranking quality in about a minute per category (measured in the closing
 * note of issue 6; test/integration/scorer-demo.test.ts holds it to image AUROC ≥ 0.9 on the tile).
 */
export const DEMO_SCORER = { epochs: 30, batchImages: 1, patchFraction: 0.25, maxTrainImages: 40, seed: 0 };

/** The rule preset of a cluster, by the coarse type most of its members have. */
export function demoRuleOf(members: readonly { defectType: string }[]): (typeof DEMO_RULES)[string] | undefined {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.defectType, (counts.get(m.defectType) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return top ? DEMO_RULES[top] : undefined;
}

/**
 * Writes the region labels a user would draw on the first LABELLED_IMAGES normal training
 * images of a category, as `<image-stem>__<region>.png` files in `labelDir`; returns those images
 * (none when the category has no regions).
 */
export function writeDemoLabels(truthPath: string, category: string, labelDir: string): string[] {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as DemoTruth;
  const regions = truth.categories[category]?.regions;
  if (!regions || regions.names.length === 0) return [];
  const trainImages = Object.keys(regions.images).filter((p) => p.includes('/train/')).sort().slice(0, LABELLED_IMAGES);
  mkdirSync(labelDir, { recursive: true });
  for (const rel of trainImages) {
    for (const [region, file] of Object.entries(regions.images[rel])) {
      copyFileSync(join(dirname(truthPath), file), join(labelDir, `${basename(rel, extname(rel))}__${region}.png`));
    }
  }
  return trainImages;
}
