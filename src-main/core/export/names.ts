/** Folder and file names of an export: safe on every platform, unique, never colliding with MVTec's own names. */

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A name usable as one path segment on Windows, macOS and Linux: letters, digits, '.', '_',
 * '-' kept (any script's letters too), everything else becomes '_'.
 */
export function sanitiseSegment(name: string, fallback: string): string {
  let s = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/[._ ]+$/, '');
  if (s.length > 100) s = s.slice(0, 100);
  if (s === '') s = fallback;
  if (WINDOWS_RESERVED.test(s.split('.')[0])) s = `${s}_`;
  return s;
}

/**
 * Assigns each distinct name a distinct folder name. `reserved` names are never handed out:
 * a cluster called "good" would read as normal test images to every MVTec loader.
 */
export class FolderNames {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(
    private readonly fallback: string,
    reserved: readonly string[] = [],
  ) {
    for (const r of reserved) this.taken.add(r.toLowerCase());
  }

  folderOf(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const base = sanitiseSegment(name, this.fallback);
    let candidate = base;
    // Case-insensitive, since two folders differing only in case collide on Windows and macOS.
    for (let k = 2; this.taken.has(candidate.toLowerCase()); k++) candidate = `${base}_${k}`;
    this.taken.add(candidate.toLowerCase());
    this.byName.set(name, candidate);
    return candidate;
  }
}

/** MVTec-style three-digit numbering (000, 001, …; wider past 999). */
export function serial(index: number): string {
  return String(index).padStart(3, '0');
}

export function defaultExportName(now: Date): string {
  const iso = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return `gaa-export-${iso.replace(/[-:]/g, '').replace('T', '-')}`;
}

/** The user-given export folder name must be one plain segment: no separators, no '..'. */
export function isPlainFolderName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && name.length <= 200;
}
