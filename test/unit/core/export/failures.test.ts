import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportError, type ExportRequest } from '../../../../src-main/core/export';
import { exportDataset } from '../../../../src-main/io/export-writer';
import { grayPng, maskFrom, pair, rgbPng, walk } from './fixtures';
import { rejection, tempDirsRemovedAfterEach } from './helpers';

let request: (outDir: string, name?: string) => ExportRequest;

beforeAll(async () => {
  const image = await rgbPng(16, 16, 3);
  const mask = await grayPng(16, 16, maskFrom(16, 16, (x, y) => (x > 4 && x < 10 && y > 2 && y < 8 ? 255 : 0)));
  request = (outDir, name = 'run') => ({
    outDir,
    name,
    formats: ['folder', 'coco', 'yolo'],
    normals: [],
    pairs: [0, 1, 2, 3].map((k) => pair({ cluster: k % 2 ? 'crack' : 'dent', image: { png: image }, mask: { png: mask } })),
  });
});

const temp = tempDirsRemovedAfterEach();

function failingWrite(code: string, afterWrites: number): (file: string, data: Buffer | string) => Promise<void> {
  let n = 0;
  return async (file, data) => {
    if (++n > afterWrites) throw Object.assign(new Error(`${code}: simulated, write '${file}'`), { code });
    await writeFile(file, data);
  };
}

describe('export failures leave nothing half-written behind', () => {
  it('reports a permission error on the destination and removes the partial folder', async () => {
    const out = temp('eacces');
    const err = await rejection(exportDataset(request(out), { fs: { writeFile: failingWrite('EACCES', 3) } }));
    expect(err).toBeInstanceOf(ExportError);
    expect(err.message).toBe(`cannot write to ${out}: permission denied`);
    expect((err as ExportError).kind).toBe('permission-denied');
    expect(readdirSync(out)).toEqual([]);
  });

  it('reports a full disk and removes the partial folder', async () => {
    const out = temp('enospc');
    const err = await rejection(exportDataset(request(out), { fs: { writeFile: failingWrite('ENOSPC', 5) } }));
    expect(err.message).toBe(`the destination disk is full (${out})`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('reports a full disk when the manifest itself cannot be written', async () => {
    const out = temp('manifest');
    const writeFileSynced = async (): Promise<void> => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    };
    const err = await rejection(exportDataset(request(out), { fs: { writeFileSynced } }));
    expect(err.message).toBe(`the destination disk is full (${out})`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a destination that is a file, without touching it', async () => {
    const dir = temp('file');
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const err = await rejection(exportDataset(request(file)));
    expect(err.message).toBe(`cannot write to ${file}: it is not a folder`);
    expect(readdirSync(dir)).toEqual(['not-a-folder']);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('removes the destination folders it created itself when the export fails', async () => {
    const dir = temp('created');
    const out = path.join(dir, 'new', 'exports');
    const err = await rejection(exportDataset(request(out), { fs: { writeFile: failingWrite('EACCES', 0) } }));
    expect(err.message).toBe(`cannot write to ${out}: permission denied`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops on an abort fired mid-way with an AbortError and no partial folder', async () => {
    const out = temp('abort');
    const controller = new AbortController();
    let seen = 0;
    const err = await rejection(
      exportDataset(request(out), {
        signal: controller.signal,
        onProgress: (done) => {
          seen = done;
          if (done === 4) controller.abort();
        },
      }),
    );
    expect(err.name).toBe('AbortError');
    expect(seen).toBe(4);
    expect(readdirSync(out)).toEqual([]);
  });

  it('does not start when the signal is already aborted', async () => {
    const dir = temp('pre-abort');
    const out = path.join(dir, 'dest');
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(exportDataset(request(out), { signal: controller.signal }));
    expect(err.name).toBe('AbortError');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to overwrite an existing export and leaves it as it was', async () => {
    const out = temp('exists');
    const first = await exportDataset(request(out, 'same'));
    const before = walk(first.root).map((f) => [f, readFileSync(path.join(first.root, f)).toString('base64')]);
    const err = await rejection(exportDataset({ ...request(out, 'same'), pairs: request(out).pairs.slice(0, 1) }));
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).kind).toBe('already-exists');
    expect(err.message).toBe(`an export named "same" already exists in ${out}; choose another name`);
    expect(readdirSync(out)).toEqual(['same']);
    expect(walk(first.root).map((f) => [f, readFileSync(path.join(first.root, f)).toString('base64')])).toEqual(before);
  });

  it('refuses a name taken while the export was being written, even by an empty folder', async () => {
    const out = temp('race');
    const err = await rejection(
      exportDataset(request(out, 'late'), {
        onProgress: (done) => {
          if (done === 1) mkdirSync(path.join(out, 'late'));
        },
      }),
    );
    expect((err as ExportError).kind).toBe('already-exists');
    expect(readdirSync(out)).toEqual(['late']);
    expect(readdirSync(path.join(out, 'late'))).toEqual([]);
  });

  it('refuses a mask whose size differs from its image, naming the pair', async () => {
    const out = temp('size');
    const req = request(out);
    req.pairs[2] = { ...req.pairs[2], mask: { png: await grayPng(8, 8, new Uint8Array(64).fill(255)) } };
    const err = await rejection(exportDataset(req));
    expect((err as ExportError).kind).toBe('invalid-input');
    expect(err.message).toContain('pair 3 (bottle / dent): the mask is 8×8 but the image is 16×16');
    expect(readdirSync(out)).toEqual([]);
  });

  it('names a source image that cannot be read', async () => {
    const out = temp('missing');
    const req = request(out);
    const missing = path.join(out, 'gone.png');
    req.pairs[1] = { ...req.pairs[1], image: { path: missing } };
    const err = await rejection(exportDataset(req));
    expect((err as ExportError).kind).toBe('source-unreadable');
    expect(err.message).toBe(`cannot read ${missing}: file not found`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses an export name that is a path', async () => {
    const out = temp('badname');
    const err = await rejection(exportDataset(request(out, '../escape')));
    expect((err as ExportError).kind).toBe('invalid-input');
    expect(readdirSync(out)).toEqual([]);
  });
});
