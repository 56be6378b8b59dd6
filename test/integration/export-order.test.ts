/**
 * An export numbers its pairs the same way every time. The synthesis workers commit pairs in the
 * order they finish, so sample ids differ from run to run; before, the export numbered pairs by id
 * and the same pairs came out under other file names (608 of 3000 files on devdata tire), which
 * changed any draw a trainer makes from the sorted file list.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJobResult } from '../../src-main/api/types';
import { Engine } from '../../src-main/engine/engine';
import { importDemoProject } from './demo-project';

let work: string;
let engine: Engine;
let tileId: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-export-order-'));
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  ({ tileId } = await importDemoProject(engine, work));
  const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
  await done(engine.call('clusters.run', { categoryId: tileId }));
  await done(engine.call('masks.generate', { categoryId: tileId, count: 12, seed: 3 }));
  await done(engine.call('synth.run', { categoryId: tileId, perCluster: 12 }));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

/** Each exported synthetic pair's image and mask file names → sha256 of their bytes. */
async function exportedPairs(name: string): Promise<Map<string, string>> {
  const { jobId } = await engine.call('export.run', { outDir: join(work, 'out'), name, categoryId: tileId, selection: 'all', includeReal: false, includeNormals: false, includeHeldOutNormals: false });
  const done = await engine.waitForJob(jobId);
  expect(done.error).toBeNull();
  const root = (done.result as ExportJobResult).root;
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { files: { image: string; mask: string; source: string }[] };
  const out = new Map<string, string>();
  for (const f of manifest.files) {
    if (f.source === 'real') continue;
    for (const rel of [f.image, f.mask]) out.set(rel, createHash('sha256').update(readFileSync(join(root, rel))).digest('hex'));
  }
  return out;
}

describe('the export file numbering', () => {
  it('gives every pair the same file name whatever order the pairs were committed in', async () => {
    const before = await exportedPairs('first');
    expect(before.size).toBeGreaterThanOrEqual(2 * 12);
    // Number the pairs against their masks' order, as a run whose workers finished the other way round would.
    const db = new Database(join(work, 'project', 'project.gaa.sqlite'));
    const masks = (db.prepare('SELECT aligned_mask_id AS m FROM samples').all() as { m: number }[]).map((r) => r.m);
    expect(new Set(masks).size).toBe(masks.length);
    db.transaction(() => {
      db.prepare('UPDATE samples SET id = -id').run();
      db.prepare('UPDATE samples SET id = 1000000 - aligned_mask_id').run();
    })();
    const byId = (db.prepare('SELECT aligned_mask_id AS m FROM samples ORDER BY id').all() as { m: number }[]).map((r) => r.m);
    db.close();
    expect(byId).toEqual([...masks].sort((a, b) => b - a));

    const after = await exportedPairs('second');
    expect([...after.entries()].sort()).toEqual([...before.entries()].sort());
  });
});
