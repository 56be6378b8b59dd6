/**
 * Folders a caller names (a project, an export destination, a bundle's folder): refused up front
 * when they lie on a pseudo-filesystem, and made one level at a time without blocking the event
 * loop. Node's recursive mkdir loops forever under /proc (`mkdir /proc/self/x` says ENOENT, its
 * parent says EEXIST, and it tries again), which hung a whole process on one request.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** statfs(2) magic numbers of kernel pseudo-filesystems: nothing a user's data can live on. */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x1cd1, 'devpts'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0xf97cff8c, 'selinuxfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x6e736673, 'nsfs'],
  [0x19800202, 'mqueue'],
]);

/** Linux trees that are never a place for data, whatever filesystem a container mounts there. */
const PSEUDO_TREES = ['/proc', '/sys', '/dev'];

/** A folder refused because of where it is, with the reason; `code` maps to the contract's bad_request. */
export class FolderRefusedError extends Error {
  readonly code = 'bad_request';
  constructor(
    readonly folder: string,
    reason: string,
  ) {
    super(`${folder} cannot hold data: ${reason}; choose a folder on a disk`);
    this.name = 'FolderRefusedError';
  }
}

function errCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function underTree(p: string): string | null {
  if (process.platform !== 'linux') return null;
  return PSEUDO_TREES.find((t) => p === t || p.startsWith(t + '/')) ?? null;
}

/** The nearest folder of `target` (itself included) that exists. */
async function nearestExisting(target: string): Promise<string> {
  for (let dir = target; ; dir = path.dirname(dir)) {
    try {
      await fsp.stat(dir);
      return dir;
    } catch (e) {
      const code = errCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return dir;
      if (path.dirname(dir) === dir) return dir;
    }
  }
}

/**
 * Throws FolderRefusedError when `target` (existing or not) is on a pseudo-filesystem: under
 * /proc, /sys or /dev, directly or through a symbolic link, or on a filesystem whose type says
 * so. Only single, bounded system calls: none of them can hang on procfs.
 */
export async function refusePseudoFilesystem(target: string): Promise<void> {
  const abs = path.resolve(target);
  const tree = underTree(abs);
  if (tree) throw new FolderRefusedError(abs, `it is under ${tree}, a pseudo-filesystem of the kernel`);
  const existing = await nearestExisting(abs);
  let real = existing;
  try {
    real = await fsp.realpath(existing);
  } catch {
    // Unreadable: the statfs below still tells.
  }
  const realTree = underTree(real);
  if (realTree) throw new FolderRefusedError(abs, `it leads to ${real}, under ${realTree}, a pseudo-filesystem of the kernel`);
  try {
    const fs = await fsp.statfs(existing);
    const kind = PSEUDO_FILESYSTEMS.get(Number(fs.type));
    if (kind) throw new FolderRefusedError(abs, `it is on ${kind}, a pseudo-filesystem of the kernel`);
  } catch (e) {
    if (e instanceof FolderRefusedError) throw e;
    // statfs is missing on some platforms and filesystems: the path checks above stand.
  }
}

/**
 * Makes `target` and any missing parents, one non-recursive mkdir each (so a filesystem that
 * answers oddly cannot send it round in a loop), after `refusePseudoFilesystem`.
 * @returns the first folder it created (undefined when all existed), as node's recursive mkdir does
 */
export async function makeFolders(target: string): Promise<string | undefined> {
  const abs = path.resolve(target);
  await refusePseudoFilesystem(abs);
  const missing: string[] = [];
  for (let dir = abs; ; dir = path.dirname(dir)) {
    try {
      const st = await fsp.stat(dir);
      if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${abs}' (${dir} is a file)`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw e;
      missing.push(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  missing.reverse();
  for (const dir of missing) {
    try {
      await fsp.mkdir(dir);
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
    }
  }
  return missing[0];
}
