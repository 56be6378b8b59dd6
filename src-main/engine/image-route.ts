import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { parseImageRefPath } from '../api/image-ref';
import { blobOfRef } from '../store/image-refs';
import { imageFiles } from '../store/images';
import { encodeLosslessPng, openImage } from '../io/image-codec';
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

/** Per project: source images with an EXIF orientation → the blob of their PNG copy without it. */
const unturnedCopies = new WeakMap<ProjectSession, Map<string, string>>();

/**
 * A source image as it is stored. A browser turns an image by its EXIF orientation, which the
 * project never applies (the masks are drawn on the stored pixels), so such an image is served
 * as a PNG of its stored pixels: the viewer, the overlays and the region editor see one size.
 */
async function servedSource(s: ProjectSession, sourcePath: string, mime: string): Promise<ResolvedImage> {
  let copies = unturnedCopies.get(s);
  if (!copies) unturnedCopies.set(s, (copies = new Map()));
  const known = copies.get(sourcePath);
  if (known) return { filePath: s.blobs.path(known), mime: 'image/png' };
  const source = await openImage(sourcePath).catch(() => null);
  if (!source || source.orientation === 1) return { filePath: sourcePath, mime };
  const blob = s.blobs.put((await encodeLosslessPng(source)).png, 'png');
  copies.set(sourcePath, blob);
  return { filePath: s.blobs.path(blob), mime: 'image/png' };
}

/**
 * The file behind an image URL's path (`image/12`, `thumb/12`, `mask/7`, …): only ever a file the
 * project's own records name, a source image the project imported or one of its blobs.
 */
export async function resolveImageRef(s: ProjectSession, refPath: string): Promise<ResolvedImage | null> {
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
  return mime && existsSync(files.sourcePath) ? servedSource(s, files.sourcePath, mime) : null;
}
