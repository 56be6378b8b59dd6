import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { writeMvtecFixture, type FixtureTruth } from '../fixtures/mvtec-fixture';

const repo = resolve(__dirname, '../..');
let work: string;
let truth: FixtureTruth;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  return runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) }).then((code) => ({ code, stdout, stderr }));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-cli-'));
  process.env.GAA_USER_DATA = join(work, 'userdata');
  truth = await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 12, testGood: 4, defects: { crack: 6, hole: 3 } });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gaa import and gaa info', () => {
  it('import prints one JSON document with correct counts and every bad file by name', async () => {
    const project = join(work, 'p1');
    const r = await cli(['import', truth.root, '--project', project, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('done');
    const cat = doc.info.categories.find((c: { name: string }) => c.name === 'widget');
    expect(cat.counts.normal).toBe(truth.normal);
    expect(cat.counts.anomaly).toBe(6 + 3);
    expect(cat.counts.masks).toBe(6 + 3);
    for (const bad of truth.bad) {
      const reported = doc.errors.find((e: { file: string }) => e.file === bad.file);
      expect(reported, `error for ${bad.file}`).toBeTruthy();
      expect(reported.reason).toMatch(bad.reason);
    }
    expect(doc.errors).toHaveLength(truth.bad.length);
  });

  it('info reports counts per type, the few-shot split (one third, at least one) and the errors', async () => {
    const r = await cli(['info', '--project', join(work, 'p1'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const cat = doc.categories.find((c: { name: string }) => c.name === 'widget');
    expect(cat.normal).toBe(16);
    const byType = Object.fromEntries(cat.defectTypes.map((t: { defectType: string }) => [t.defectType, t]));
    expect(byType.crack).toMatchObject({ anomaly: 6, masks: 6, fewShot: 2, heldOut: 4 });
    expect(byType.hole).toMatchObject({ anomaly: 3, masks: 3, fewShot: 1, heldOut: 2 });
    expect(doc.errors.map((e: { file: string }) => e.file).sort()).toEqual(truth.bad.map((b) => b.file).sort());
  });

  it('importing the same folder again adds nothing', async () => {
    const r = await cli(['import', truth.root, '--project', join(work, 'p1'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).info.totals.normal).toBe(16);
  });

  it('fails with a clear message and a non-zero code for a missing dataset or project', async () => {
    const missing = await cli(['import', join(work, 'nope'), '--project', join(work, 'p2'), '--json']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(join(work, 'nope'));
    const noProject = await cli(['info', '--project', join(work, 'not-a-project'), '--json']);
    expect(noProject.code).not.toBe(0);
    expect(noProject.stderr).toMatch(/not a GAA project/);
    const usage = await cli(['import']);
    expect(usage.code).toBe(2);
  });
});

describe('a failing command with --json', () => {
  /** stdout must be one JSON document and nothing else: JSON.parse throws on a second one or on a stray line. */
  function errorDoc(stdout: string): { code: string; message: string } {
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(['error']);
    expect(Object.keys(doc.error).sort()).toEqual(['code', 'message']);
    expect(typeof doc.error.code).toBe('string');
    expect(doc.error.message.length).toBeGreaterThan(0);
    return doc.error;
  }

  it('prints exactly one {"error":{"code","message"}} document on stdout and exits non-zero', async () => {
    const noProject = await cli(['info', '--project', join(work, 'nonexistent'), '--json']);
    expect(noProject.code).toBe(1);
    expect(errorDoc(noProject.stdout).message).toMatch(/not a GAA project/);

    const missing = await cli(['import', join(work, 'nope'), '--project', join(work, 'p3'), '--json']);
    expect(missing.code).toBe(1);
    expect(errorDoc(missing.stdout)).toEqual({ code: 'not_found', message: `dataset folder not found: ${join(work, 'nope')}` });

    const usage = await cli(['info', '--json']);
    expect(usage.code).toBe(2);
    expect(errorDoc(usage.stdout)).toEqual({ code: 'usage', message: '--project DIR is required' });

    const unknownOption = await cli(['info', '--project', join(work, 'p1'), '--no-such-option', '--json']);
    expect(unknownOption.code).toBe(2);
    expect(errorDoc(unknownOption.stdout).code).toBe('usage');

    const unknownCategory = await cli(['masks', '--project', join(work, 'p1'), '--category', 'no-such-category', '--count', '3', '--json']);
    expect(unknownCategory.code).toBe(1);
    expect(errorDoc(unknownCategory.stdout).message).toContain('no-such-category');
  });

  it('a job that fails reports as one error document too', async () => {
    // Masks need clusters; the freshly imported project has none, so the masks job fails.
    const r = await cli(['masks', '--project', join(work, 'p1'), '--category', 'widget', '--count', '3', '--json']);
    expect(r.code).toBe(1);
    expect(errorDoc(r.stdout)).toEqual({ code: 'job_failed', message: 'masks failed: no clusters with members: run the clustering first' });
  });

  it('without --json a failure leaves stdout empty and says why on stderr', async () => {
    const r = await cli(['info', '--project', join(work, 'nonexistent')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not a GAA project/);
  });
});

describe('a killed import', () => {
  it('resumes where it stopped: every image once, nothing half-written', async () => {
    const big = await writeMvtecFixture(join(work, 'big'), { category: 'plate', trainGood: 500, testGood: 20, defects: { scratch: 30 } }, false);
    const project = join(work, 'p-kill');
    const child = spawn(process.execPath, [join(repo, 'bin/gaa.js'), 'import', big.root, '--project', project, '--json'], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'userdata') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    // Wait (by condition, not by time) until some items are committed, then kill -9.
    const dbFile = join(project, 'project.gaa.sqlite');
    const committed = () => {
      if (!existsSync(dbFile)) return 0;
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM job_items').get() as { n: number }).n;
      } catch {
        return 0;
      } finally {
        db.close();
      }
    };
    await new Promise<void>((ok, fail) => {
      const timer = setInterval(() => {
        if (committed() >= 40) {
          clearInterval(timer);
          child.kill('SIGKILL');
          ok();
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(timer);
        fail(new Error('the import ended before it could be killed'));
      });
    });
    await exited;
    const atKill = committed();
    expect(atKill).toBeLessThan(550);

    const r = await cli(['import', big.root, '--project', project, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.resumed).toBe(true);
    expect(doc.info.totals.normal).toBe(520);
    expect(doc.info.totals.anomaly).toBe(30);
    const db = new Database(dbFile, { readonly: true });
    const dupes = db.prepare('SELECT COUNT(*) AS n FROM (SELECT rel_path FROM images GROUP BY category_id, rel_path HAVING COUNT(*) > 1)').get();
    const orphans = db.prepare("SELECT COUNT(*) AS n FROM images i WHERE i.kind = 'anomaly' AND NOT EXISTS (SELECT 1 FROM masks m WHERE m.image_id = i.id)").get();
    db.close();
    expect(dupes).toEqual({ n: 0 });
    expect(orphans).toEqual({ n: 0 });
  });
});
