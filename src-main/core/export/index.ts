export { exportDataset } from './export';
export { ExportError } from './types';
export type {
  ExportErrorKind,
  ExportFormat,
  ExportFs,
  ExportImageSource,
  ExportOptions,
  ExportPair,
  ExportRequest,
  ExportResult,
} from './types';
export type { Manifest, ManifestFile, ManifestNormal } from './manifest';
export type { CocoAnnotation, CocoDocument, CocoRle } from './coco';
