/**
 * Validating a pack unpacked on disk: pack.json read and parsed, every listed file present with
 * the right size and sha256 (io), then the core's checks of roles, models and arrays.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { PackError } from '../../core/onnx/packs';
import { checkArrays, checkListing, checkModels, parseManifest } from '../../core/onnx/pack-validate';
import type { PackManifest } from '../../core/onnx/pack-schema';
import { createSession } from '../onnx-runtime/sessions';
import { insideRoot, sha256File } from './files';

export async function readManifest(dir: string): Promise<PackManifest> {
  let text: string | null;
  try {
    text = await fsp.readFile(join(dir, 'pack.json'), 'utf8');
  } catch {
    text = null;
  }
  return parseManifest(text);
}

async function checkFiles(dir: string, m: PackManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const f of m.files) {
    const full = insideRoot(dir, f.path);
    if (!full) {
      problems.push(`file '${f.path}' leaves the pack folder`);
      continue;
    }
    let stat;
    try {
      stat = await fsp.lstat(full);
    } catch {
      problems.push(`file '${f.path}' is missing`);
      continue;
    }
    if (!stat.isFile()) {
      problems.push(`'${f.path}' is not a regular file`);
      continue;
    }
    if (f.bytes !== undefined && stat.size !== f.bytes) {
      problems.push(`file '${f.path}' is ${stat.size} bytes but pack.json says ${f.bytes}`);
      continue;
    }
    const actual = await sha256File(full);
    if (actual !== f.sha256) problems.push(`file '${f.path}' has sha256 ${actual} but pack.json says ${f.sha256}`);
  }
  return problems;
}

/** Validates the pack unpacked at `dir`; resolves to its manifest or throws PackError listing every problem found. */
export async function validatePackDir(dir: string): Promise<PackManifest> {
  const m = await readManifest(dir);
  const listing = checkListing(m);
  if (listing.length > 0) throw new PackError(listing);
  const files = await checkFiles(dir, m);
  if (files.length > 0) throw new PackError(files);
  const read = async (file: string): Promise<Uint8Array> => new Uint8Array(await fsp.readFile(join(dir, file)));
  const rest = [...(await checkModels(m.models, (file, options) => createSession(join(dir, file), options))), ...(await checkArrays(m, read))];
  if (rest.length > 0) throw new PackError(rest);
  return m;
}
