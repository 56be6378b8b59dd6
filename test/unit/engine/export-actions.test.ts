import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { upsertCategory } from '../../../src-main/store/categories';
import { insertImage } from '../../../src-main/store/images';

/**
 * Issue 12, item 12: before writing, the export says what it will hold per cluster and format;
 * the MVTec layout gets test/good; "Open folder" opens a finished export, and nothing else.
 */

let work: string;
let engine: Engine;
let categoryId: number;
const opened: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-export-actions-'));
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud'), openFolder: async (dir) => void opened.push(dir) });
  await engine.call('project.create', { dir: join(work, 'project') });
  const db = engine.session().db;
  categoryId = upsertCategory(db, 'bottle');
  mkdirSync(join(work, 'data'), { recursive: true });
  const normal = async (name: string, split: 'train' | 'test', v: number) => {
    const file = join(work, 'data', name);
    writeFileSync(file, await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: v, g: v, b: v } } }).png().toBuffer());
    insertImage(db, { categoryId, sourceId: null, kind: 'normal', defectType: 'good', origin: split, split, sourcePath: file, relPath: `bottle/${split}/good/${name}`, width: 8, height: 8, channels: 3, bitDepth: 8, hash: name, thumbBlob: null, hasError: false }, []);
  };
  await normal('t0.png', 'train', 10);
  await normal('t1.png', 'train', 20);
  await normal('h0.png', 'test', 30);
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('export preview, held-out normals and Open folder', () => {
  it('previews the normal folders per format and the files, then writes exactly that, test/good included', async () => {
    const preview = await engine.call('export.preview', { categoryId, formats: ['mvtec', 'folder'] });
    expect(preview.rows.map((r) => [r.cluster, r.images, r.perFormat])).toEqual([
      ['good', 2, { mvtec: 2, folder: 2 }],
      ['test/good', 1, { mvtec: 1, folder: 0 }],
    ]);
    expect([preview.normals, preview.heldOutNormals, preview.pairs]).toEqual([2, 1, 0]);
    const { jobId } = await engine.call('export.run', { outDir: join(work, 'exports'), name: 'run', categoryId, formats: ['mvtec', 'folder'] });
    const finished = await engine.waitForJob(jobId);
    expect(finished.status, finished.error ?? '').toBe('done');
    const result = finished.result as { root: string; files: number; counts: Record<string, Record<string, number>> };
    expect(result.files).toBe(preview.files);
    expect(readdirSync(join(result.root, 'bottle/test/good'))).toEqual(['000.png']);
    expect(result.counts.bottle).toEqual({ good: 2, 'test/good': 1 });
  });

  it('opens a finished export of the project, and refuses any other folder', async () => {
    const root = join(work, 'exports', 'run');
    expect(await engine.call('export.openFolder', { root })).toEqual({ opened: root });
    expect(opened).toEqual([root]);
    await expect(engine.call('export.openFolder', { root: work })).rejects.toMatchObject({ code: 'not_found' });
    expect(opened).toEqual([root]);
  });
});
