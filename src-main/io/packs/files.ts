/**
 * File handling for model packs: hashing, copying a pack folder, and extracting a pack zip
 * without ever writing outside the staging folder (zip-slip) or following links.
 */
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, mkdirSync, openSync, readSync, writeSync, promises as fsp } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { PackError } from '../../core/onnx/packs';
import { unsafePathReason } from '../../core/onnx/pack-schema';

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

/** Copies a pack folder; links are refused since they could point anywhere on the machine. */
export async function copyPackFolder(from: string, to: string, rel = ''): Promise<void> {
  const dir = join(from, rel);
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) throw new PackError([`'${childRel}' is a symbolic link; packs must contain plain files`]);
    if (entry.isDirectory()) {
      await fsp.mkdir(join(to, childRel), { recursive: true });
      await copyPackFolder(from, to, childRel);
    } else if (entry.isFile()) {
      await fsp.mkdir(dirname(join(to, childRel)), { recursive: true });
      await fsp.copyFile(join(from, childRel), join(to, childRel));
    } else {
      throw new PackError([`'${childRel}' is not a regular file`]);
    }
  }
}

/**
 * Streams a zip into `to`. Every entry name is checked before anything is written, as it
 * arrives: an absolute name, a '..' segment or a backslash refuses the whole archive.
 */
export function extractPackZip(zipPath: string, to: string): void {
  const problems: string[] = [];
  let open: { fd: number; name: string } | null = null;
  let failure: Error | null = null;
  const closeOpen = (): void => {
    if (open) closeSync(open.fd);
    open = null;
  };
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure || problems.length > 0) return;
    const name = file.name.endsWith('/') ? file.name.slice(0, -1) : file.name;
    const reason = unsafePathReason(name);
    const target = reason ? null : insideRoot(to, name);
    if (reason || !target) {
      problems.push(`zip entry '${file.name}' ${reason ?? 'leaves the pack folder'}`);
      return;
    }
    if (file.name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'wx');
    open = { fd, name };
    file.ondata = (err, chunk, final) => {
      if (err) {
        failure = new PackError([`zip entry '${name}' cannot be read: ${err.message}`]);
        closeOpen();
        return;
      }
      if (chunk.length > 0) writeSync(fd, chunk);
      if (final) closeOpen();
    };
    try {
      file.start();
    } catch (e) {
      closeOpen();
      failure = new PackError([`zip entry '${name}' cannot be extracted: ${e instanceof Error ? e.message : String(e)}`]);
    }
  });
  unzip.register(UnzipInflate);
  const fd = openSync(zipPath, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      unzip.push(buf.slice(0, n), n === 0);
      if (n === 0 || failure || problems.length > 0) break;
    }
  } catch (e) {
    failure = new PackError([`'${zipPath}' is not a readable zip: ${e instanceof Error ? e.message : String(e)}`]);
  } finally {
    closeOpen();
    closeSync(fd);
  }
  if (problems.length > 0) throw new PackError(problems);
  if (failure) throw failure;
}
