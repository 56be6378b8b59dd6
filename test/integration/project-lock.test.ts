/**
 * One writer per project. Before the lock, opening a project marked every running job
 * `interrupted`, even one a live process was running, and a second `gaa import` "resumed" it
 * in parallel (UNIQUE constraint errors).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { Engine } from '../../src-main/engine/engine';
import { PROJECT_LOCK_FILE } from '../../src-main/io/project-lock';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

const repo = resolve(__dirname, '../..');
let work: string;
let dataset: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-lock-'));
  process.env.GAA_USER_DATA = join(work, 'ud');
  dataset = (await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 2, testGood: 1, defects: { crack: 2 } }, false)).root;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A second process that opens the project for writing and leaves a job running in it, until killed. */
function writerProcess(project: string): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const script = join(work, 'writer.mts');
  writeFileSync(
    script,
    `import { ProjectSession } from ${JSON.stringify(join(repo, 'src-main/engine/session.ts'))};
import { createJob, updateJob } from ${JSON.stringify(join(repo, 'src-main/store/jobs.ts'))};
const s = await ProjectSession.open(${JSON.stringify(project)}, { create: true });
const id = createJob(s.db, 'import', { source: ${JSON.stringify(dataset)}, layout: 'mvtec' });
updateJob(s.db, id, { status: 'running' });
process.stdout.write('ready\\n');
setInterval(() => undefined, 1000);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const ready = new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (c) => String(c).includes('ready') && ok());
    child.on('exit', () => fail(new Error(`the writer exited: ${stderr}`)));
  });
  const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
  return { child, ready, exited };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('the project writer lock', () => {
  it('refuses a second writer while the first process lives, lets read-only commands work, and takes over once it is gone', async () => {
    const project = join(work, 'project');
    const writer = writerProcess(project);
    try {
      await writer.ready;
      const pid = writer.child.pid!;
      const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
      await expect(engine.call('project.open', { dir: project })).rejects.toThrow(new RegExp(`^project is open in ${pid} since \\d{4}-\\d\\d-\\d\\dT`));
      expect(engine.hasProject()).toBe(false);

      const second = await cli(['import', dataset, '--project', project, '--json']);
      expect(second.code).toBe(1);
      expect(second.err).toContain(`project is open in ${pid} since`);

      const info = await cli(['info', '--project', project, '--json']);
      expect(info.code).toBe(0);
      expect(JSON.parse(info.out).project.dir).toBe(project);

      // The live writer's job is still running, not "interrupted", as a read-only look shows.
      await engine.call('project.open', { dir: project, readOnly: true });
      const jobs = await engine.call('jobs.list', {});
      expect(jobs.map((j) => j.status)).toEqual(['running']);
      await expect(engine.call('dataset.import', { source: dataset, layout: 'mvtec' })).rejects.toThrow(/read-only/);
      await engine.close();

      writer.child.kill('SIGKILL');
      await writer.exited;
      // Its lock stays behind, stale: the next writer takes it over and only now is the job interrupted.
      expect(existsSync(join(project, PROJECT_LOCK_FILE))).toBe(true);
      const after = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
      await after.call('project.open', { dir: project });
      expect((await after.call('jobs.list', {})).map((j) => j.status)).toEqual(['interrupted']);
      await after.close();
      expect(existsSync(join(project, PROJECT_LOCK_FILE))).toBe(false);
    } finally {
      writer.child.kill('SIGKILL');
    }
  });

  it('two engines of one process share its hold and do not mark each other’s running jobs interrupted', async () => {
    const project = join(work, 'shared');
    const a = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await a.call('project.create', { dir: project });
    const { jobId } = await a.call('dataset.import', { source: dataset, layout: 'mvtec' });
    const b = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await b.call('project.open', { dir: project });
    const seen = (await b.call('jobs.list', {})).find((j) => j.id === jobId)!.status;
    expect(['queued', 'running', 'done']).toContain(seen);
    expect((await a.waitForJob(jobId)).status).toBe('done');
    await b.close();
    expect(existsSync(join(project, PROJECT_LOCK_FILE))).toBe(true);
    await a.close();
    expect(existsSync(join(project, PROJECT_LOCK_FILE))).toBe(false);
  });
});
