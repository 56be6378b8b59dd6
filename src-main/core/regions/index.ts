export { fft1d, fft2d, isPowerOfTwo } from './fft';
export {
  inverseMap,
  phaseCorrelate,
  prepareReference,
  registerImages,
  registerToBest,
  registerToReference,
  warpMask,
  warpMaskSoft,
  type PhaseCorrelation,
  type Registration,
  type RegistrationOptions,
  type RegistrationReference,
  type SimilarityTransform,
} from './registration';
export { predictForest, trainForest, type DecisionTree, type ForestOptions, type RandomForest } from './forest';
export { computeFilterBank, workSize, type FilterBank } from './filter-bank';
export { classifyPixels, trainPixelClassifier, type PixelClassifier, type PixelClassifierOptions, type TrainingImage } from './pixel-classifier';
export { cleanRegions, regionShapeStats, type CleanOptions, type RegionShapeStats } from './cleanup';
export {
  propagateRegions,
  propagateWith,
  trainPropagator,
  type LabelledExemplar,
  type PropagationOptions,
  type PropagationResult,
  type RegionPropagator,
} from './propagate';
export { implicitRegion, otsu, type ImplicitOptions, type ImplicitRegion } from './implicit';
