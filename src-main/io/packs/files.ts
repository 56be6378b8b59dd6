/**
 * File handling for model packs: hashing, and keeping a pack's paths inside its folder. Copying
 * and extracting are in install.ts and zip.ts.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `root/rel` if it stays inside root, else null. */
export function insideRoot(root: string, rel: string): string | null {
  const full = resolve(root, rel);
  const back = relative(resolve(root), full);
  if (back === '' || back.startsWith('..') || back.split(sep).includes('..') || resolve(back) === back) return null;
  return full;
}
