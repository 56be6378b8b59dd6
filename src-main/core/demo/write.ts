import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';

/**
 * File output for the demo dataset: PNG encoding, and the build-in-a-temporary-folder-then-
 * rename dance that makes an interrupted run leave no half dataset behind a valid stamp.
 */

export async function writePng(path: string, data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let img = sharp(buf, { raw: { width, height, channels } });
  // Without this libvips widens one raw band to sRGB; masks must stay 8-bit grey like MVTec's.
  if (channels === 1) img = img.toColourspace('b-w');
  // Fixed encoder settings: the same pixels always give the same bytes.
  await img.png({ compressionLevel: 6, adaptiveFiltering: true, palette: false }).toFile(path);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}

export async function readJsonOrNull<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** A fresh sibling of `outDir` to build into; its name carries our pid so stale ones can be told apart. */
export async function makeStagingDir(outDir: string): Promise<string> {
  const staging = `${outDir}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  await mkdir(staging, { recursive: true });
  return staging;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders left by runs that were killed (their process no longer exists). */
export async function removeStaleStaging(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  const prefix = `${basename(outDir)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Moves the staged dataset into place. The stamp is written last, so a crash between the
 * moves leaves `outDir` without a valid stamp and the next run regenerates.
 */
export async function publish(staging: string, outDir: string, entries: string[], stampName: string, stamp: unknown): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await rm(join(outDir, stampName), { force: true });
  for (const entry of entries) {
    await rm(join(outDir, entry), { recursive: true, force: true });
    await rename(join(staging, entry), join(outDir, entry));
  }
  await writeJson(join(staging, stampName), stamp);
  await rename(join(staging, stampName), join(outDir, stampName));
  await rm(staging, { recursive: true, force: true });
}
