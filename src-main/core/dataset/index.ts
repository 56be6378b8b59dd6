/** What a dataset is to the pipeline: scanned items and their errors, file-name rules, mask binarisation. */
export { DatasetError, ItemDecodeError } from './types';
export type { ItemOrigin, Layout, ScanCategory, ScanError, ScanItem, ScanResult } from './types';
export { binariseMask } from './mask';
