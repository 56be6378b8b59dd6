/** Export writer: exports and concept bundles written to disk through a marked staging folder. */
export { exportDataset } from './dataset-export';
export { writeConceptBundle, type ConceptBundleOptions } from './concept-bundle';
export { STAGING_MARKER } from './staging';
export type { ExportFs, ExportOptions } from './types';
