/** Dataset reader: walks a dataset folder in its layout into items, and decodes one item at a time. */
export { detectLayout, scanDataset } from './scan';
export { decodeItem } from './decode';
export type { DecodedItem, DecodedMask, DecodeOptions } from './decode';
