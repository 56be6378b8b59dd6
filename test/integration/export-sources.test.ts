/**
 * Exports recheck the source files they copy. Before, one missing source image failed the whole
 * export and a source changed since the import was exported silently (its hash was not checked).
 * Also: blob files are durable before their rows, and "compact project" clears what kills left.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJobResult } from '../../src-main/api/types';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let engine: Engine;
let cat: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-export-sources-'));
  const fixture = await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 4, testGood: 1, defects: { crack: 3 } }, false);
  cat = join(fixture.root, 'widget');
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  const { jobId } = await engine.call('dataset.import', { source: fixture.root, layout: 'mvtec' });
  expect((await engine.waitForJob(jobId)).status).toBe('done');
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('an export whose sources moved or changed', () => {
  it('leaves out a missing or changed source image, says which and why, and exports the rest', async () => {
    const fewShot = (await engine.call('dataset.listImages', { kind: 'anomaly' })).items.find((i) => i.split === 'fewshot')!;
    const realImage = (await engine.call('dataset.image', { imageId: fewShot.id })).sourcePath;
    rmSync(join(cat, 'train/good/000.png'));
    // Another valid image of the same size under the old name: only its hash tells.
    copyFileSync(join(cat, 'train/good/002.png'), join(cat, 'train/good/001.png'));
    copyFileSync(join(cat, 'train/good/003.png'), realImage);

    const { jobId } = await engine.call('export.run', { outDir: join(work, 'out'), name: 'partial', includeHeldOutNormals: false });
    const done = await engine.waitForJob(jobId);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    const result = done.result as ExportJobResult;
    const problems = new Map(result.sourceProblems!.map((p) => [p.file, p.reason]));
    expect(problems.get(join(cat, 'train/good/000.png'))).toBe('the source image is missing (moved or deleted since the import); left out');
    expect(problems.get(join(cat, 'train/good/001.png'))).toBe('the source image changed since it was imported (its sha256 differs); left out');
    expect(problems.get(realImage)).toMatch(/changed since it was imported/);
    expect(problems.size).toBe(3);
    expect(result.normals).toBe(2);
    expect(readdirSync(join(result.root, 'widget/train/good')).length).toBe(2);
    expect(result.counts.widget.good).toBe(2);
  });
});

describe('compact project', () => {
  it('counts leftover temporary blob files and unreferenced blobs on a dry run, then removes only those', async () => {
    const blobsDir = join(work, 'project', 'blobs');
    const folder = readdirSync(blobsDir).find((f) => /^[0-9a-f]{2}$/.test(f))!;
    const hash = 'ab'.padEnd(64, '0');
    const tmp = join(blobsDir, folder, `${folder}${'1'.repeat(62)}.png.0123456789ab.tmp`);
    const orphan = join(blobsDir, 'ab', `${hash}.png`);
    const fresh = join(blobsDir, 'ab', `${'ab'.padEnd(64, '2')}.png`);
    mkdirSync(join(blobsDir, 'ab'), { recursive: true });
    writeFileSync(tmp, Buffer.alloc(100));
    writeFileSync(orphan, Buffer.alloc(200));
    writeFileSync(fresh, Buffer.alloc(50));
    const old = new Date(Date.now() - 3600_000);
    utimesSync(tmp, old, old);
    utimesSync(orphan, old, old);
    const before = readdirSync(blobsDir, { recursive: true }).length;

    const dry = await engine.call('project.compact', {});
    expect(dry).toMatchObject({ dryRun: true, temporary: { files: 1, bytes: 100 }, unreferenced: { files: 1, bytes: 200 }, removed: 0 });
    expect(readdirSync(blobsDir, { recursive: true }).length).toBe(before);

    const real = await engine.call('project.compact', { dryRun: false });
    expect(real.removed).toBe(2);
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    // Too new to judge: a blob is written a moment before the row naming it.
    expect(existsSync(fresh)).toBe(true);
    // Every blob the project names is still there: the images and masks still load.
    const img = (await engine.call('dataset.listImages', { kind: 'anomaly' })).items[0];
    const detail = await engine.call('dataset.image', { imageId: img.id });
    for (const m of detail.masks) expect(existsSync(m.file)).toBe(true);
    expect((await engine.call('project.compact', {})).unreferenced.files).toBe(0);
  });
});
