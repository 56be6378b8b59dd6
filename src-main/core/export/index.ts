export { exportDataset, HELD_OUT_KEY } from './export';
export { previewExport, type ExportPreview, type PreviewRow, type PreviewRowKind } from './preview';
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
