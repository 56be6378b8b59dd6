export { checkRequest, DEFAULT_POLYGON_TOLERANCE, FORMATS, HELD_OUT_KEY, plannedFiles, writeExportFiles } from './export';
export type { ExportPixels, ExportTarget, PngImage } from './export';
export { previewExport, type ExportPreview, type PreviewRow, type PreviewRowKind } from './preview';
export { ExportError } from './types';
export type { ExportErrorKind, ExportFormat, ExportImageSource, ExportPair, ExportRequest, ExportResult } from './types';
export type { Manifest, ManifestFile, ManifestNormal } from './manifest';
export type { CocoAnnotation, CocoDocument, CocoRle } from './coco';
