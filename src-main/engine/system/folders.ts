/**
 * The folder browser of the web host (issue 12, item 9): a browser page has no native folder
 * dialog, so the host lists folders for it, and only inside the user's home folder: no path
 * outside it is listed or named, symbolic links included (they are followed, then checked).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../api/errors';
import type { FolderListing } from '../../api/types';

/** The real path of `p` when it is the home folder or inside it, else null. */
function insideHome(home: string, p: string): string | null {
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return null;
  }
  const rel = relative(home, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) ? real : null;
}

/** The sub-folders of `dir` (default: the home folder), hidden ones last, each as an absolute path. */
export function listFolders(dir: string | null, home = homedir()): FolderListing {
  const realHome = realpathSync(home);
  const wanted = dir === null ? realHome : resolve(realHome, dir);
  const real = insideHome(realHome, wanted);
  if (real === null) throw new ApiError('bad_request', `only folders inside your home folder (${realHome}) can be browsed`);
  let names: string[];
  try {
    names = readdirSync(real);
  } catch (e) {
    throw new ApiError('io', `cannot list ${real}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const folders: FolderListing['folders'] = [];
  for (const name of names) {
    const path = join(real, name);
    const target = insideHome(realHome, path);
    if (target === null) continue;
    try {
      if (!statSync(target).isDirectory()) continue;
    } catch {
      continue;
    }
    folders.push({ name, path });
  }
  folders.sort((a, b) => Number(a.name.startsWith('.')) - Number(b.name.startsWith('.')) || a.name.localeCompare(b.name));
  return { dir: real, home: realHome, parent: real === realHome ? null : dirname(real), folders };
}
