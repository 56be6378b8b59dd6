export { amfc, densityThreshold, leafLabels, leaves, type AmfcOptions, type ClusterNode, type ClusterTree } from './amfc';
export { adjustedRandIndex } from './ari';
export { defaultKindFor, majorityType } from './default-kind';
export { homogeneity } from './homogeneity';
export { calinskiHarabasz, daviesBouldin } from './indices';
export { kmeansPlusPlus, type KMeansOptions, type KMeansResult } from './kmeans';
export { pca2 } from './pca';
export { selectK, type SelectKOptions, type SelectKPoint, type SelectKResult } from './select-k';
