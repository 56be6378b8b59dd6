import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src-main/api/types';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture, type FixtureTruth } from '../fixtures/mvtec-fixture';

let work: string;
let fixture: FixtureTruth;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-engine-'));
  fixture = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 150, testGood: 10, defects: { crack: 9, stain: 4 } }, false);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('engine jobs', () => {
  it('cancels an import, then resumes it to exactly the full set, with monotonic progress', async () => {
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.create', { dir: join(work, 'p-cancel') });
    const progress: JobProgress[] = [];
    let jobId = 0;
    let cancelled = false;
    engine.onEvent((event, payload) => {
      if (event !== 'job.progress') return;
      const p = payload as JobProgress;
      progress.push(p);
      if (!cancelled && p.done >= 20 && p.done < p.total) {
        cancelled = true;
        void engine.call('jobs.cancel', { jobId });
      }
    });
    jobId = (await engine.call('dataset.import', { source: fixture.root, layout: 'mvtec' })).jobId;
    const first = await engine.waitForJob(jobId);
    expect(first.status).toBe('cancelled');
    const afterCancel = (await engine.call('project.info', {})).totals;
    expect(afterCancel.normal + afterCancel.anomaly).toBeLessThan(173);

    const jobs = await engine.call('jobs.list', {});
    expect(jobs.find((j) => j.id === jobId)?.status).toBe('cancelled');
    await engine.call('jobs.resume', { jobId });
    const second = await engine.waitForJob(jobId);
    expect(second.status).toBe('done');
    const info = await engine.call('project.info', {});
    expect(info.totals).toMatchObject({ normal: 160, anomaly: 13, masks: 13 });

    const mine = progress.filter((p) => p.jobId === jobId);
    for (let i = 1; i < mine.length; i++) expect(mine[i].done).toBeGreaterThanOrEqual(mine[i - 1].done);
    expect(mine[mine.length - 1]).toMatchObject({ done: 173, total: 173 });
    await engine.close();
  });

  it('marks a job that was running when the process died as interrupted on reopen', async () => {
    const dir = join(work, 'p-cancel');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(dir, 'project.gaa.sqlite'));
    db.prepare("UPDATE jobs SET status = 'running'").run();
    db.close();
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.open', { dir });
    expect((await engine.call('jobs.list', {}))[0].status).toBe('interrupted');
    await engine.close();
  });

  it('waits for a job that already ended with its stored outcome, and refuses to wait for an interrupted one', async () => {
    const dir = join(work, 'p-cancel');
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.open', { dir });
    const [job] = await engine.call('jobs.list', {});
    expect(job.status).toBe('interrupted');
    await expect(engine.call('jobs.wait', { jobId: job.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/interrupted: resume it/) });
    await engine.call('jobs.resume', { jobId: job.id });
    const finished = await engine.call('jobs.wait', { jobId: job.id });
    expect(finished).toMatchObject({ jobId: job.id, kind: 'import', status: 'done' });
    await engine.close();
    // In a new process, the same job's outcome comes from the store, typed by its kind.
    const later = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await later.call('project.open', { dir });
    const stored = await later.call('jobs.wait', { jobId: job.id });
    expect(stored.kind).toBe('import');
    if (stored.kind === 'import') expect(stored.result).toMatchObject({ layout: 'mvtec', categories: ['board'] });
    await later.close();
  });

  it('resumes a job only with stored parameters its kind accepts, naming the bad field', async () => {
    const dir = join(work, 'p-cancel');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(dir, 'project.gaa.sqlite'));
    const id = Number(
      db
        .prepare("INSERT INTO jobs (kind, status, params, created_at, updated_at) VALUES ('import', 'interrupted', ?, 'x', 'x')")
        .run(JSON.stringify({ source: fixture.root, layout: 'tarball' })).lastInsertRowid,
    );
    db.close();
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.open', { dir });
    await expect(engine.call('jobs.resume', { jobId: id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/import job parameters .*layout/) });
    expect((await engine.call('jobs.list', {})).find((j) => j.id === id)?.status).toBe('interrupted');
    await engine.close();
  });

  it('moves an anomaly between few-shot and held-out by hand, and a resplit is seeded', async () => {
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    const info = await engine.call('project.open', { dir: join(work, 'p-cancel') });
    const cat = info.categories[0];
    expect(cat.defectTypes.find((t) => t.defectType === 'crack')).toMatchObject({ fewShot: 3, heldOut: 6 });
    const held = (await engine.call('dataset.listImages', { split: 'heldout', defectType: 'crack' })).items[0];
    await engine.call('dataset.setFewShot', { imageId: held.id, fewShot: true });
    const moved = (await engine.call('project.info', {})).categories[0].defectTypes.find((t) => t.defectType === 'crack');
    expect(moved).toMatchObject({ fewShot: 4, heldOut: 5 });
    const normal = (await engine.call('dataset.listImages', { kind: 'normal', limit: 1 })).items[0];
    await expect(engine.call('dataset.setFewShot', { imageId: normal.id, fewShot: true })).rejects.toThrow(/normal image/);

    const fewIds = async () => (await engine.call('dataset.listImages', { split: 'fewshot', limit: 2000 })).items.map((i) => i.id).sort();
    await engine.call('dataset.resplit', { categoryId: cat.id, seed: 5 });
    const a = await fewIds();
    await engine.call('dataset.resplit', { categoryId: cat.id, seed: 6 });
    await engine.call('dataset.resplit', { categoryId: cat.id, seed: 5 });
    expect(await fewIds()).toEqual(a);
    expect(a).toHaveLength(3 + 1); // crack: 9 → 3, stain: 4 → 1
    await engine.close();
  });

  it('pages the image list with a stable total and filters by kind', async () => {
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.open', { dir: join(work, 'p-cancel') });
    const p1 = await engine.call('dataset.listImages', { offset: 0, limit: 50 });
    const p2 = await engine.call('dataset.listImages', { offset: 50, limit: 50 });
    expect(p1.total).toBe(173);
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(100);
    expect((await engine.call('dataset.listImages', { kind: 'anomaly' })).total).toBe(13);
    await expect(engine.call('dataset.listImages', { limit: 100000 })).rejects.toThrow(/limit/);
    await engine.close();
  });
});

describe('duplicates', () => {
  it('skips a file whose content is already imported and says so by name', async () => {
    const { copyFileSync } = await import('node:fs');
    const dupRoot = join(work, 'dup');
    const fx = await writeMvtecFixture(dupRoot, { category: 'cap', trainGood: 3, testGood: 0, defects: { dent: 1 } }, false);
    const copy = join(dupRoot, 'cap/train/good/copy of 000.png');
    copyFileSync(join(dupRoot, 'cap/train/good/000.png'), copy);
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.create', { dir: join(work, 'p-dup') });
    const { jobId } = await engine.call('dataset.import', { source: fx.root, layout: 'mvtec' });
    await engine.waitForJob(jobId);
    expect((await engine.call('project.info', {})).totals.normal).toBe(3);
    const errors = (await engine.call('dataset.errors', {})).items;
    expect(errors).toHaveLength(1);
    expect(errors[0].file === copy || errors[0].reason.includes('copy of 000.png')).toBe(true);
    expect(errors[0].reason).toMatch(/same content as .*000\.png; skipped as a duplicate/);
    await engine.close();
  });
});
