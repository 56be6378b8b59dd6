/**
 * Per-anomaly feature vectors for Adaptive Multi-Round Anomaly Clustering
 * (AMFC, paper §3.2, METHOD.md §1). Stored with each cluster run, hence versioned:
 * bump FEATURES_VERSION whenever any block's definition or order changes.
 */
import type { Mask, Raster } from '../image/raster';

export const FEATURES_VERSION = 'amfc-features-2';

export type FeatureBlock = 'colour' | 'texture' | 'shape' | 'deep';

export const FEATURE_BLOCKS: readonly FeatureBlock[] = ['colour', 'texture', 'shape', 'deep'];

/**
 * Colour block, 5 values, all against the defect's ring: inside-minus-ring mean of L*, a*, b*,
 * and the inside's 10th / 90th percentile of L* minus the ring's median (colour-block.ts).
 */
export const COLOUR_DIM = 5;
/**
 * Texture block, 6 values: sd of L*, a*, b* inside, mean L* gradient inside, and the log ratios
 * of L* spread and gradient inside to those of the ring (texture-block.ts).
 */
export const TEXTURE_DIM = 6;
/** Shape block, 5 values: log area fraction, log part count, log thickness, log elongation, solidity (shape.ts). */
export const SHAPE_DIM = 5;

export interface AnomalyFeatures {
  colour: Float64Array;
  texture: Float64Array;
  shape: Float64Array;
  /** Present only when a backbone model pack supplied it; its length is the pack's. */
  deep?: Float64Array;
}

/**
 * A backbone model pack's feature extractor (METHOD.md §1, deep block: multi-layer
 * features mean-pooled inside the mask). Implemented by model packs, not here.
 */
export interface DeepFeatureExtractor {
  name: string;
  version: string;
  extract(image: Raster, mask: Mask): Promise<Float32Array>;
}
