/**
 * File-name rules shared by the dataset layouts: which names are images, stems, mask suffixes
 * and the natural order. Pure string functions on bare names (no folder part), so they behave
 * the same on every platform.
 */

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

/**
 * The last part of a path, splitting on both `/` and `\` (as Windows does; on POSIX a backslash
 * inside a file name would be taken for a separator).
 */
export function fileNameOf(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** The extension of a bare file name, dot included, as `path.extname` gives it ('' for `.hidden`). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name === '..') return '';
  return name.slice(dot);
}

export function isImageName(name: string): boolean {
  return !name.startsWith('.') && IMAGE_EXTENSIONS.has(extensionOf(name).toLowerCase());
}

/** File name without its extension. */
export function stemOf(name: string): string {
  const ext = extensionOf(name);
  return ext ? name.slice(0, name.length - ext.length) : name;
}

/**
 * Key two names are matched on: NFC-normalised, since macOS hands out decomposed (NFD)
 * names and a mask copied from another machine may be composed.
 */
export function stemKey(stem: string): string {
  return stem.normalize('NFC');
}

/** `abc_mask` → `abc`; null when the stem has no mask suffix. */
export function stripMaskSuffix(stem: string): string | null {
  return /_mask$/i.test(stem) ? stem.slice(0, -'_mask'.length) : null;
}

/**
 * Orders `2.png` before `10.png` and `b` after `A`; ties broken by code points, so the order
 * never depends on the machine's locale.
 */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
