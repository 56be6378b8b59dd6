import { createMask, type Mask } from '../image/raster';
import { enhanceMask, type EnhanceOptions } from './enhance';
import { placeLogical, type LogicalComponent } from './logical';
import { placeStructural, type PlacementOptions, type StructuralPlacement } from './placement';
import { createRng, deriveSeed } from '../random';
import { prepareRegion, type RegionGuide } from './region-guide';
import type { MaskTransform, Point } from './transform';

export type PlacementMode = StructuralPlacement | 'logical' | 'combined';

/** One few-shot source mask to enhance (Eq. 5-6) and place. */
export interface StructuralSource {
  mask: Mask;
  /** A_avg of Eq. (6), px at the target resolution. */
  clusterMeanArea: number;
  /** Placement rule of this source's cluster (used by `combined`; default 'inside'). */
  placement?: StructuralPlacement;
  enhance?: Omit<EnhanceOptions, 'rng' | 'clusterMeanArea'>;
}

export interface AlignedMaskInput {
  seed: number;
  /** The target region on one normal image (its size is the image size), or a prepared guide to reuse. */
  region: Mask | RegionGuide;
  mode: PlacementMode;
  /** inside / edge / centreline. */
  source?: StructuralSource;
  /** combined: 2-3 sources, of the same or different clusters. */
  sources?: StructuralSource[];
  /** logical: which part of the region is the anomaly. */
  logicalComponent?: LogicalComponent;
  placement?: PlacementOptions;
}

export interface AlignedMaskPart {
  mode: StructuralPlacement;
  mask: Mask;
  transform: MaskTransform;
  insideFraction: number;
}

export type AlignedMaskResult =
  | {
      ok: true;
      mode: PlacementMode;
      /** The aligned mask M_align (0/255, image size). */
      mask: Mask;
      /** T; for combined, the first part's (each part's is in `parts`). */
      transform: MaskTransform;
      /** Share of the mask's pixels inside the region. */
      insideFraction: number;
      /** logical only: holes / further components; mask = even-odd raster of [targetPolygon(T), ...extraRings]. */
      extraRings: Point[][];
      /** Each placed structural mask (one, or 2-3 for combined); [] for logical. */
      parts: AlignedMaskPart[];
    }
  | { ok: false; mode: PlacementMode; reason: string };

function isGuide(region: Mask | RegionGuide): region is RegionGuide {
  return 'inRegion' in region;
}

/**
 * Region-guided aligned mask synthesis (RAMS, §3.3 and App. D): enhance the source mask(s) with
 * Eq. (5)-(6), then place them on the region by the cluster's rule. Deterministic by seed.
 * Coordinates: pixel (x, y) covers [x, x+1) × [y, y+1); the mask is the even-odd, pixel-centre
 * rasterisation of targetPolygon(transform).
 */
export function synthesiseAlignedMask(input: AlignedMaskInput): AlignedMaskResult {
  const { mode } = input;
  const guide = isGuide(input.region) ? input.region : prepareRegion(input.region);
  const rng = createRng(input.seed);

  if (mode === 'logical') {
    const placed = placeLogical(guide.mask, rng, input.logicalComponent ?? 'random');
    if (!placed.ok) return { ok: false, mode, reason: placed.reason };
    return { ok: true, mode, mask: placed.mask, transform: placed.transform, insideFraction: 1, extraRings: placed.extraRings, parts: [] };
  }

  const sources = mode === 'combined' ? input.sources ?? [] : input.source ? [input.source] : [];
  if (mode === 'combined' && (sources.length < 2 || sources.length > 3)) {
    return { ok: false, mode, reason: `combined: needs 2-3 source masks, got ${sources.length}` };
  }
  if (sources.length === 0) return { ok: false, mode, reason: `${mode}: no source mask given` };

  const parts: AlignedMaskPart[] = [];
  for (let k = 0; k < sources.length; k++) {
    const source = sources[k];
    const partRng = sources.length === 1 ? rng : createRng(deriveSeed(input.seed, k));
    const partMode: StructuralPlacement = mode === 'combined' ? source.placement ?? 'inside' : mode;
    const enhanceOptions: EnhanceOptions = { rotation: true, ...source.enhance, rng: partRng, clusterMeanArea: source.clusterMeanArea };
    const shape = enhanceMask(source.mask, enhanceOptions);
    const placed = placeStructural(shape, guide, partMode, partRng, {
      rotation: enhanceOptions.rotation,
      ...input.placement,
      avoid: parts.map((p) => p.mask),
    });
    if (!placed.ok) {
      const prefix = mode === 'combined' ? `combined: part ${k + 1} of ${sources.length}: ` : '';
      return { ok: false, mode, reason: prefix + placed.reason };
    }
    parts.push({ mode: partMode, mask: placed.mask, transform: placed.transform, insideFraction: placed.insideFraction });
  }

  if (parts.length === 1) {
    const [p] = parts;
    return { ok: true, mode, mask: p.mask, transform: p.transform, insideFraction: p.insideFraction, extraRings: [], parts };
  }
  const union = createMask(guide.width, guide.height);
  let area = 0;
  let inside = 0;
  for (const part of parts) for (let i = 0; i < union.data.length; i++) if (part.mask.data[i] !== 0) union.data[i] = 255;
  for (let i = 0; i < union.data.length; i++) if (union.data[i] !== 0) {
    area++;
    inside += guide.inRegion[i];
  }
  return { ok: true, mode, mask: union, transform: parts[0].transform, insideFraction: area ? inside / area : 0, extraRings: [], parts };
}
