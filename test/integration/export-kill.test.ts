import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { STAGING_MARKER } from '../../src-main/io/export-writer';
import { Engine } from '../../src-main/engine/engine';
import { sharedDemoDataset } from '../fixtures/demo';

const repo = resolve(__dirname, '../..');
let work: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-export-kill-'));
  process.env.GAA_USER_DATA = join(work, 'ud');
  project = join(work, 'project');
  const demo = await sharedDemoDataset();
  const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: project });
  const { jobId } = await engine.call('dataset.import', { source: demo.root, layout: 'mvtec' });
  expect((await engine.waitForJob(jobId)).status).toBe('done');
  await engine.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0; // renamed or removed between the listing and the count
  }
}

describe('an export killed mid-way', () => {
  it('leaves no export folder, and its staging folder is swept by the next export to the same destination', async () => {
    const out = join(work, 'exports');
    // Real pairs and every normal image of the demo, in all four layouts: hundreds of files.
    const args = ['export', '--project', project, '--out', out, '--name', 'demo-export', '--format', 'folder', '--format', 'coco', '--format', 'yolo', '--json'];
    const child = spawn(process.execPath, [join(repo, 'bin/gaa.js'), ...args], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
    let staging = '';
    // Killed by condition (files already in the staging folder), never by a timer.
    await new Promise<void>((ok, fail) => {
      const timer = setInterval(() => {
        const partial = existsSync(out) ? readdirSync(out).find((n) => n.startsWith('.demo-export.partial-')) : undefined;
        if (partial && countFiles(join(out, partial)) >= 20) {
          clearInterval(timer);
          staging = join(out, partial);
          child.kill('SIGKILL');
          ok();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        fail(new Error('the export ended before it could be killed'));
      });
    });
    await exited;
    expect(existsSync(join(out, 'demo-export'))).toBe(false);
    // What the kill left: the hidden staging folder only, marked as ours.
    expect(readdirSync(out)).toEqual([staging.slice(out.length + 1)]);
    expect(readdirSync(staging)).toContain(STAGING_MARKER);

    let report = '';
    const code = await runCli(args, { out: (t) => (report += t), err: () => undefined });
    expect(code).toBe(0);
    expect(readdirSync(out)).toEqual(['demo-export']);
    const { files } = JSON.parse(report) as { files: number };
    expect(countFiles(join(out, 'demo-export'))).toBe(files);
  });
});
