/**
 * Pairs anomaly images with their mask files by file stem (`003.png` ↔ `003_mask.png` or
 * `003.png`), never by sorted position: one missing mask must not shift every later pair.
 */
import path from 'node:path';
import { stemKey, stemOf, stripMaskSuffix } from '../../core/dataset/names';
import type { ScanError } from '../../core/dataset/types';
import { relPathOf } from './listing';

export interface PairingInput {
  root: string;
  /** Absolute image paths. */
  images: string[];
  /** Absolute mask paths; each is matched on its stem with any `_mask` suffix removed. */
  masks: string[];
  /** Where the mask for this image was expected, for the error message. */
  expectedMask: (imagePath: string) => string;
  /** Absolute paths of mask-named symbolic links that cannot be followed, with why. */
  brokenMasks?: Map<string, string>;
}

/** Image → its one mask. Images with none or several, and masks with no image, go to `errors`. */
export function pairByStem(input: PairingInput, errors: ScanError[]): Map<string, string> {
  const byKey = new Map<string, string[]>();
  for (const mask of input.masks) {
    const stem = stemOf(path.basename(mask));
    const key = stemKey(stripMaskSuffix(stem) ?? stem);
    const list = byKey.get(key);
    if (list) list.push(mask);
    else byKey.set(key, [mask]);
  }
  const claimed = new Set<string>();
  const pairs = new Map<string, string>();
  for (const image of input.images) {
    const candidates = byKey.get(stemKey(stemOf(path.basename(image)))) ?? [];
    candidates.forEach((m) => claimed.add(m));
    if (candidates.length === 1) pairs.set(image, candidates[0]);
    else if (candidates.length === 0) {
      const key = stemKey(stemOf(path.basename(image)));
      const broken = [...(input.brokenMasks ?? [])].find(([m]) => {
        const stem = stemOf(path.basename(m));
        return stemKey(stripMaskSuffix(stem) ?? stem) === key;
      });
      errors.push({
        file: image,
        reason: broken
          ? `its mask ${relPathOf(input.root, broken[0])} cannot be read: ${broken[1]}`
          : `no mask found for this anomaly image (expected ${input.expectedMask(image)})`,
      });
    } else {
      const names = candidates.map((m) => relPathOf(input.root, m)).join(', ');
      errors.push({ file: image, reason: `several mask files match this image: ${names}` });
    }
  }
  for (const mask of input.masks) {
    if (!claimed.has(mask)) errors.push({ file: mask, reason: 'mask file has no matching image' });
  }
  return pairs;
}
