/**
 * Per-anomaly feature vectors for Adaptive Multi-Round Anomaly Clustering
 * (AMFC, paper §3.2, METHOD.md §1). Stored with each cluster run, hence versioned:
 * bump FEATURES_VERSION whenever any block's definition or order changes.
 */
import type { Mask, Raster } from '../image/raster';

export const FEATURES_VERSION = 'amfc-features-1';

export type FeatureBlock = 'colour' | 'texture' | 'shape' | 'deep';

export const FEATURE_BLOCKS: readonly FeatureBlock[] = ['colour', 'texture', 'shape', 'deep'];

/**
 * Colour block, 33 values: for each of L*, a*, b* (in that order) 11 values —
 * mean, std, 8-bin normalised histogram, inside-minus-ring mean difference.
 */
export const COLOUR_DIM = 33;
/** Texture block, 28 values: riu2 LBP(P=8,R=1) histogram (10 bins), then LBP(P=16,R=2) (18 bins). */
export const TEXTURE_DIM = 28;
/**
 * Shape block, 12 values: log area fraction, log elongation, solidity, eccentricity,
 * Hu moments 1-7 (log-scaled), border fraction. See shape.ts for each definition.
 */
export const SHAPE_DIM = 12;

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
