export { assembleFeatureMatrix, type FeatureMatrix } from './assemble';
export { computeFeatures, type ComputeFeaturesOptions } from './compute';
export {
  COLOUR_DIM,
  FEATURE_BLOCKS,
  FEATURES_VERSION,
  SHAPE_DIM,
  TEXTURE_DIM,
  type AnomalyFeatures,
  type DeepFeatureExtractor,
  type FeatureBlock,
} from './types';
