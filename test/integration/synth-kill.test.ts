import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { Engine } from '../../src-main/engine/engine';
import { sharedDemoDataset } from '../fixtures/demo';

const repo = resolve(__dirname, '../..');
let work: string;
let project: string;
let masks = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-synth-kill-'));
  process.env.GAA_USER_DATA = join(work, 'ud');
  project = join(work, 'project');
  const demo = await sharedDemoDataset();
  const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: project });
  const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
  await done(engine.call('dataset.import', { source: demo.root, layout: 'mvtec' }));
  const tile = (await engine.call('project.info', {})).categories.find((c) => c.name === 'tile')!;
  await done(engine.call('clusters.run', { categoryId: tile.id }));
  await done(engine.call('masks.generate', { categoryId: tile.id, count: 20, seed: 1 }));
  masks = (await engine.call('masks.list', { categoryId: tile.id, limit: 1 })).total;
  await engine.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a killed synthesis job', () => {
  it('resumes to exactly one pair per mask, with every stored pair complete on disk', async () => {
    const dbFile = join(project, 'project.gaa.sqlite');
    const samples = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const child = spawn(process.execPath, [join(repo, 'bin/gaa.js'), 'synth', '--project', project, '--category', 'tile', '--per-cluster', '20', '--json'], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
    // Killed by condition (some pairs committed), never by a timer.
    await new Promise<void>((ok, fail) => {
      const timer = setInterval(() => {
        if (samples() >= 5) {
          clearInterval(timer);
          child.kill('SIGKILL');
          ok();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        fail(new Error('the synthesis ended before it could be killed'));
      });
    });
    await exited;
    const atKill = samples();
    expect(atKill).toBeLessThan(masks);

    let out = '';
    const code = await runCli(['synth', '--project', project, '--category', 'tile', '--per-cluster', '20', '--json'], { out: (t) => (out += t), err: () => undefined });
    expect(code).toBe(0);
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare('SELECT aligned_mask_id AS m, image_blob AS b FROM samples').all() as { m: number; b: string }[];
    db.close();
    expect(rows).toHaveLength(masks);
    expect(new Set(rows.map((r) => r.m)).size).toBe(masks);
    for (const r of rows) expect(existsSync(join(project, 'blobs', r.b))).toBe(true);
    expect(JSON.parse(out).made).toBe(masks - atKill);
  });
});
