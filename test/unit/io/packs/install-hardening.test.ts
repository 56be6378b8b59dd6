/**
 * What a crafted pack could do before: install files pack.json never listed, of any size (a 3 MB
 * zip with an unlisted 3 GiB file installed and blocked the event loop for minutes), copy a whole
 * folder that has no pack.json, recurse into its own staging when installed from the packs
 * folder, and answer a non-zip or duplicate entries with "pack.json is missing" and "EEXIST".
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { PackError } from '../../../../src-main/core/onnx/packs';
import { installPack, PACK_STAGING_MARKER, sweepPackStagings, type PackInstallProgress } from '../../../../src-main/io/packs';
import { writeConceptsPack } from '../../core/onnx/tiny-packs';

const root = mkdtempSync(join(tmpdir(), 'gaa-pack-harden-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (label: string): string => join(root, `${label}-${n++}`);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    return (e as Error).message;
  }
  throw new Error('the pack was accepted');
}

function folderFiles(dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    try {
      out[rel.split('\\').join('/')] = readFileSync(join(dir, rel));
    } catch {
      // folders
    }
  }
  return out;
}

/** Everything under a folder, hidden entries included. */
function tree(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

interface RawEntry {
  name: string;
  data: Buffer;
  /** Deflate the data (method 8); stored otherwise. */
  deflate?: boolean;
  /** The uncompressed size the zip claims, when it should lie. */
  claimedSize?: number;
}

/** A zip written by hand, so it can hold what fflate refuses to write: duplicate names, a lying size. */
function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const size = e.claimedSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('model pack install, hardened', () => {
  it('installs only the files pack.json lists: an unlisted file in a zip or a folder stays behind', async () => {
    const src = writeConceptsPack(fresh('cp'));
    const junk = Buffer.alloc(8 * 1024 * 1024);
    writeFileSync(join(src, 'unlisted.bin'), junk);
    mkdirSync(join(src, 'extra'));
    writeFileSync(join(src, 'extra', 'notes.txt'), 'not in pack.json');
    const zip = join(root, `unlisted-${n++}.zip`);
    writeFileSync(zip, zipSync(folderFiles(src)));
    const listed = (JSON.parse(readFileSync(join(src, 'pack.json'), 'utf8')) as { files: { path: string }[] }).files.map((f) => f.path);
    const expected = ['pack.json', ...listed].sort();
    const fromZip = await installPack(zip, fresh('packs'));
    expect(Object.keys(folderFiles(fromZip.dir)).sort()).toEqual(expected);
    expect(existsSync(join(fromZip.dir, 'unlisted.bin'))).toBe(false);
    const fromFolder = await installPack(src, fresh('packs'));
    expect(existsSync(join(fromFolder.dir, 'unlisted.bin'))).toBe(false);
    expect(existsSync(join(fromFolder.dir, 'extra'))).toBe(false);
    expect(Object.keys(folderFiles(fromFolder.dir)).sort()).toEqual(expected);
  });

  it('stops a file at the size pack.json declares, even when the zip lies about it', async () => {
    const src = writeConceptsPack(fresh('cp'));
    const files = folderFiles(src);
    const manifest = JSON.parse(Buffer.from(files['pack.json']).toString()) as { files: { path: string; bytes: number }[] };
    const victim = manifest.files[0];
    // The zip's directory claims the declared size; the entry inflates to 4 MiB.
    const entries: RawEntry[] = Object.entries(files).map(([name, data]) =>
      name === victim.path
        ? { name, data: Buffer.alloc(4 * 1024 * 1024, 7), deflate: true, claimedSize: victim.bytes }
        : { name, data: Buffer.from(data), deflate: true },
    );
    const zip = join(root, `liar-${n++}.zip`);
    writeFileSync(zip, rawZip(entries));
    const packs = fresh('packs');
    const msg = await refusal(installPack(zip, packs));
    expect(msg).toContain(`file '${victim.path}' is longer than the ${victim.bytes} bytes pack.json declares; the install stopped there`);
    expect(tree(packs)).toEqual([]);
  });

  it('refuses a pack over the total-size ceiling before copying anything', async () => {
    const src = writeConceptsPack(fresh('cp'));
    const packs = fresh('packs');
    const msg = await refusal(installPack(src, packs, { maxBytes: 1000 }));
    expect(msg).toMatch(/the pack's files add up to \d+ bytes, over the 1000 bytes a pack may have \(maxPackBytes in settings\.json\)/);
    expect(existsSync(packs)).toBe(false);
  });

  it('reports progress up to the total, and a cancelled install leaves nothing', async () => {
    const src = writeConceptsPack(fresh('cp'));
    const seen: PackInstallProgress[] = [];
    await installPack(src, fresh('packs'), { onProgress: (p) => seen.push(p) });
    const total = seen[0].total;
    expect(total).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ source: src, done: total, total, file: null });
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);

    const packs = fresh('packs');
    const controller = new AbortController();
    const msg = await refusal(installPack(src, packs, { signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() }));
    expect(msg).toMatch(/the install was cancelled; nothing was installed/);
    expect(tree(packs)).toEqual([]);
  });

  it('reads pack.json before copying a folder: a folder without one is refused as such', async () => {
    const dir = fresh('no-manifest');
    mkdirSync(dir);
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(1024));
    symlinkSync('/etc/hostname', join(dir, 'link'));
    const packs = fresh('packs');
    expect(await refusal(installPack(dir, packs))).toMatch(/pack\.json is missing at the pack root/);
    expect(existsSync(packs)).toBe(false);
  });

  it('refuses to install from inside the packs folder', async () => {
    const packs = fresh('packs');
    const installed = await installPack(writeConceptsPack(fresh('cp')), packs);
    expect(await refusal(installPack(packs, packs))).toMatch(/is inside the packs folder/);
    expect(await refusal(installPack(installed.dir, packs, { replace: true }))).toMatch(/is inside the packs folder/);
    expect(tree(packs).filter((p) => p.startsWith('.'))).toEqual([]);
  });

  it('says a file that is not a zip is not a zip, and names an entry the zip holds twice', async () => {
    const notZip = join(root, `not-${n++}.zip`);
    writeFileSync(notZip, 'this is text, not a zip archive');
    expect(await refusal(installPack(notZip, fresh('packs')))).toMatch(/is not a zip file \(no zip directory at its end\)/);

    const src = writeConceptsPack(fresh('cp'));
    const files = folderFiles(src);
    const entries: RawEntry[] = Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) }));
    entries.push({ name: 'pack.json', data: Buffer.from('{"evil":true}') });
    const dup = join(root, `dup-${n++}.zip`);
    writeFileSync(dup, rawZip(entries));
    expect(await refusal(installPack(dup, fresh('packs')))).toMatch(/the zip holds 'pack\.json' more than once/);
    expect(sha(Buffer.from(files['pack.json']))).not.toBe(sha(Buffer.from('{"evil":true}')));
  });
});

describe('pack staging sweep', () => {
  function staging(packs: string, name: string, marker: object | null, ageMs = 0): string {
    const dir = join(packs, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), Buffer.alloc(1024));
    if (marker) writeFileSync(join(dir, PACK_STAGING_MARKER), JSON.stringify({ app: 'gaa-workbench pack install', host: hostname(), startedAt: '', ...marker }));
    if (ageMs) {
      const t = new Date(Date.now() - ageMs);
      utimesSync(dir, t, t);
    }
    return dir;
  }

  it('removes the stagings of installs whose process is gone, before the next install, and keeps live ones', async () => {
    const packs = fresh('packs');
    const { spawnSync } = await import('node:child_process');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    staging(packs, '.staging-dead', { pid: deadPid });
    staging(packs, '.staging-unmarked-old', null, 2 * 3600_000);
    staging(packs, '.removing-old-pack-1234', null, 2 * 3600_000);
    staging(packs, '.staging-live', { pid: process.ppid });
    staging(packs, '.staging-unmarked-new', null);
    staging(packs, '.staging-other-pc', { pid: deadPid, host: 'other-pc' });
    await installPack(writeConceptsPack(fresh('cp')), packs);
    expect(readdirSync(packs).sort()).toEqual(['.staging-live', '.staging-other-pc', '.staging-unmarked-new', 'tiny-concepts']);
    expect(await sweepPackStagings(packs)).toEqual([]);
  });
});
