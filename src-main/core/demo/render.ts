import { photograph } from './camera';
import { countOn, footprint } from './draw';
import { renderNutbox } from './nutbox';
import type { PlannedItem } from './plan';
import { createRng, deriveSeed } from '../random';
import { applyTileDefect, renderTileSurface } from './tile';

/** One finished shot: 8-bit RGB pixels, its defect mask (0/255) and, for objects, its region masks. */
export interface RenderedItem {
  pixels: Uint8Array;
  mask: Uint8Array | null;
  regions: Record<string, Uint8Array> | null;
}

export function renderItem(item: PlannedItem, datasetSeed: number): RenderedItem {
  const { category: cat, width, height, anomaly } = item;
  const rng = createRng(item.seed);
  if (cat.generator === 'tile') {
    const img = renderTileSurface(rng.fork('surface'), width, height, cat.surface);
    let mask: Uint8Array | null = null;
    if (anomaly) {
      const alpha = applyTileDefect(img, rng.fork('defect'), anomaly.subtype, anomaly.params, rng.range(0, Math.PI * 2));
      mask = footprint(alpha);
      if (countOn(mask) === 0) throw new Error(`demo: ${item.relPath} drew an empty ${anomaly.subtype}`);
    }
    return { pixels: photograph(img, rng.fork('camera'), cat.camera), mask, regions: null };
  }
  // The label print is a property of the product, so it is seeded per category, not per box.
  const layout = createRng(deriveSeed(datasetSeed, cat.name, 'layout'));
  const shot = renderNutbox(rng.fork('scene'), width, height, cat.scene, layout, anomaly ? { subtype: anomaly.subtype, params: anomaly.params } : null);
  let mask: Uint8Array | null = null;
  if (anomaly) {
    mask = shot.anomaly ? footprint(shot.anomaly) : null;
    if (!mask || countOn(mask) === 0) throw new Error(`demo: ${item.relPath} drew an empty ${anomaly.subtype}`);
  }
  return { pixels: photograph(shot.image, rng.fork('camera'), cat.camera), mask, regions: anomaly ? null : shot.regions };
}
