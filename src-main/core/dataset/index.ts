/** Dataset importers: scan a dataset on disk into items, decode one item at a time. */
export { DatasetError } from './types';
export type { ItemOrigin, Layout, ScanCategory, ScanError, ScanItem, ScanResult } from './types';
export { detectLayout, scanDataset } from './scan';
export { decodeItem } from './decode';
export type { DecodedItem, DecodedMask, DecodeOptions } from './decode';
export { ItemDecodeError } from './source';
export { binariseMask } from './mask';
