import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { parseImageRefPath } from '../api/image-ref';
import { blobOfRef } from '../store/image-refs';
import { imageFiles } from '../store/images';
import type { ResolvedImage } from './endpoint';
import type { ProjectSession } from './session';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/**
 * The file behind an image URL's path (`image/12`, `thumb/12`, `mask/7`, …): only ever a file the
 * project's own records name, a source image the project imported or one of its blobs.
 */
export function resolveImageRef(s: ProjectSession, refPath: string): ResolvedImage | null {
  const ref = parseImageRefPath(refPath);
  if (!ref) return null;
  if (ref.kind !== 'image' && ref.kind !== 'thumb') {
    const blob = blobOfRef(s.db, ref.kind, ref.kind === 'mask' ? ref.maskId : ref.id);
    return blob ? { filePath: s.blobs.path(blob), mime: 'image/png' } : null;
  }
  const files = imageFiles(s.db, ref.imageId);
  if (!files) return null;
  if (ref.kind === 'thumb') return files.thumbBlob ? { filePath: s.blobs.path(files.thumbBlob), mime: 'image/jpeg' } : null;
  const mime = MIME[extname(files.sourcePath).toLowerCase()];
  return mime && existsSync(files.sourcePath) ? { filePath: files.sourcePath, mime } : null;
}
