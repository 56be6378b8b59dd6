import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConceptBundleJson, ConceptBundleRequest } from '../../../../src-main/core/export/concept-bundle';
import { writeConceptBundle } from '../../../../src-main/io/export-writer';
import { ExportError } from '../../../../src-main/core/export';
import { decode, grayPng, makeTempDir, maskFrom, rgbPng, walk } from './fixtures';
import { rejection, tempDirsRemovedAfterEach } from './helpers';

const temp = tempDirsRemovedAfterEach();

let sources: { dir: string; cleanup: () => void };
let request: (outDir: string) => ConceptBundleRequest;

beforeAll(async () => {
  sources = makeTempDir('bundle-src');
  const write = (name: string, bytes: Buffer): string => {
    const file = path.join(sources.dir, name);
    writeFileSync(file, bytes);
    return file;
  };
  // Two clusters; two members share the file name 000.png (from different defect folders).
  const img = [await rgbPng(12, 10, 1), await rgbPng(12, 10, 2), await rgbPng(12, 10, 3)];
  const msk = [
    await grayPng(12, 10, maskFrom(12, 10, (x, y) => (x > 2 && x < 6 && y > 1 && y < 5 ? 255 : 0))),
    await grayPng(12, 10, maskFrom(12, 10, (x) => (x === 7 ? 255 : 0))),
    await grayPng(12, 10, maskFrom(12, 10, (x, y) => (y === 8 && x > 1 ? 255 : 0))),
  ];
  const m = img.map((b, i) => ({
    image: write(`img${i}.png`, b),
    mask: write(`mask${i}.png`, msk[i]),
  }));
  request = (outDir) => ({
    outDir,
    category: 'board',
    project: '/projects/p',
    clusters: [
      {
        id: '7',
        name: 'crack-1',
        kind: 'structural',
        members: [
          { ...m[0], relPath: 'test/crack/000.png', defectType: 'crack' },
          { ...m[1], relPath: 'test/scratch/000.png', defectType: 'scratch' },
        ],
      },
      { id: '9', name: 'missing part', kind: 'logical', members: [{ ...m[2], relPath: 'test/missing/004.png', defectType: 'missing' }] },
    ],
  });
});

afterAll(() => sources.cleanup());

describe('concept-training bundle', () => {
  it('writes every few-shot pair, the masks byte for byte, bundle.json with METHOD.md §2 token counts, README and schema', async () => {
    const out = temp('bundle');
    const req = request(out);
    const res = await writeConceptBundle(req, { now: () => new Date('2026-01-02T03:04:05Z') });
    const root = path.join(out, 'board-concept-bundle');
    expect(res.root).toBe(root);
    expect(readdirSync(out)).toEqual(['board-concept-bundle']);
    expect(walk(root).sort()).toEqual(
      [
        'README.md',
        'bundle.json',
        'gaa-concepts.schema.json',
        'clusters/7/images/000_000.png',
        'clusters/7/masks/000_000.png',
        'clusters/7/images/001_000.png',
        'clusters/7/masks/001_000.png',
        'clusters/9/images/000_004.png',
        'clusters/9/masks/000_004.png',
      ].sort(),
    );
    expect(res.files).toBe(9);
    expect(res.clusters).toEqual([
      { id: '7', name: 'crack-1', members: 2 },
      { id: '9', name: 'missing part', members: 1 },
    ]);

    const doc = JSON.parse(readFileSync(path.join(root, 'bundle.json'), 'utf8')) as ConceptBundleJson;
    expect(doc.format).toBe('gaa-concept-bundle');
    expect(doc.formatVersion).toBe(1);
    expect(doc.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(doc.category).toBe('board');
    expect(doc.resolution).toBe(512);
    // METHOD.md §2 / paper App. B.1: e_f has 8 token vectors, e_p 4, in "a photo of A*".
    expect(doc.featureTokens).toBe(8);
    expect(doc.positionTokens).toBe(4);
    expect(doc.prompt).toBe('a photo of A*');
    expect(doc.placeholder).toBe('A*');
    expect(doc.clusters.map((c) => [c.id, c.name, c.kind, c.members.length])).toEqual([
      ['7', 'crack-1', 'structural', 2],
      ['9', 'missing part', 'logical', 1],
    ]);
    expect(doc.clusters[0].members[1]).toEqual({
      image: 'clusters/7/images/001_000.png',
      mask: 'clusters/7/masks/001_000.png',
      source: 'test/scratch/000.png',
      defectType: 'scratch',
    });
    expect(doc.expectedPack.kind).toBe('gaa-concepts');
    expect(doc.expectedPack.clusters).toEqual([
      { id: '7', ef: 'e_f/7.npy', shape: [8, 768] },
      { id: '9', ef: 'e_f/9.npy', shape: [8, 768] },
    ]);
    expect(doc.expectedPack.positionEncoder.inputs[0].name).toBe('mask');
    expect(doc.expectedPack.positionEncoder.outputs[0]).toEqual({ name: 'e_p', dtype: 'float32', shape: [1, 4, 768] });

    // Every member file exists; images and masks are the project's files unchanged, masks are 0/255.
    const flat = req.clusters.flatMap((c, ci) => c.members.map((m, mi) => ({ m, rel: doc.clusters[ci].members[mi] })));
    for (const { m, rel } of flat) {
      expect(readFileSync(path.join(root, rel.image)).equals(readFileSync(m.image))).toBe(true);
      expect(readFileSync(path.join(root, rel.mask)).equals(readFileSync(m.mask))).toBe(true);
      const mask = await decode(path.join(root, rel.mask));
      expect(mask.channels).toBe(1);
      expect(new Set(mask.data)).toEqual(new Set([0, 255]));
    }
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('| `7` | crack-1 | structural | 2 |');
    expect(readme).toContain('position_encoder.onnx');
    const schema = JSON.parse(readFileSync(path.join(root, 'gaa-concepts.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['clusters', 'embeddingDim', 'maskSize', 'featureTokens']));
  });

  it('refuses to overwrite an existing bundle folder and leaves it untouched', async () => {
    const out = temp('exists');
    await writeConceptBundle(request(out));
    const before = walk(out).sort();
    const err = await rejection(writeConceptBundle(request(out)));
    expect(err).toBeInstanceOf(ExportError);
    expect(err.message).toBe(`a folder named "board-concept-bundle" already exists in ${out}; remove it or choose another destination`);
    expect(walk(out).sort()).toEqual(before);
  });

  it('leaves no folder behind when a write fails midway', async () => {
    const out = temp('eacces');
    let n = 0;
    const writeFileFailing = async (file: string, data: Buffer | string): Promise<void> => {
      if (++n > 3) throw Object.assign(new Error('EACCES: simulated'), { code: 'EACCES' });
      await writeFile(file, data);
    };
    const err = await rejection(writeConceptBundle(request(out), { fs: { writeFile: writeFileFailing } }));
    expect(n).toBe(4);
    expect((err as ExportError).kind).toBe('permission-denied');
    expect(err.message).toBe(`cannot write to ${out}: permission denied`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('leaves nothing behind when the destination cannot be a folder', async () => {
    const parent = temp('notdir');
    const file = path.join(parent, 'a-file');
    writeFileSync(file, 'x');
    const out = path.join(file, 'bundles');
    const err = await rejection(writeConceptBundle(request(out)));
    expect((err as ExportError).kind).toBe('not-a-folder');
    expect(readdirSync(parent)).toEqual(['a-file']);
  });

  it('names a missing few-shot file and removes the destination folder it created', async () => {
    const parent = temp('missing');
    const out = path.join(parent, 'new-dir');
    const req = request(out);
    req.clusters[1].members[0].image = path.join(sources.dir, 'gone.png');
    const err = await rejection(writeConceptBundle(req));
    expect((err as ExportError).kind).toBe('source-unreadable');
    expect(err.message).toBe(`cannot read the few-shot image ${path.join(sources.dir, 'gone.png')}: the file is missing`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a cluster id that cannot be a folder name and an empty cluster', async () => {
    const out = temp('bad');
    const req = request(out);
    req.clusters[0].id = '../x';
    await expect(writeConceptBundle(req)).rejects.toThrow("cluster id '../x' cannot be a folder name");
    const req2 = request(out);
    req2.clusters[1].members = [];
    await expect(writeConceptBundle(req2)).rejects.toThrow("cluster 'missing part' (9) has no few-shot members");
    expect(readdirSync(out)).toEqual([]);
  });
});
