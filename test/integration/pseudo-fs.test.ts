/**
 * A project or export folder on a kernel pseudo-filesystem (/proc) is refused up front. Node's
 * recursive mkdir loops forever on procfs, so before this guard `gaa import … --project
 * /proc/self/x` never ended and one `project.create` hung the web host for every later request.
 * Each check runs in a child process with a deadline, so a hang fails the test instead of the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

const repo = resolve(__dirname, '../..');
const onLinux = process.platform === 'linux';
let work: string;
let dataset: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-pseudo-fs-'));
  dataset = (await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 2, testGood: 1, defects: { crack: 2 } }, false)).root;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function ended(child: ChildProcess, deadlineMs: number): Promise<number | 'hung'> {
  return new Promise((ok) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      ok('hung');
    }, deadlineMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok(code ?? -1);
    });
  });
}

function post(port: number, name: string, token: string, args: unknown, deadlineMs: number): Promise<{ status: number; body: string } | 'no answer'> {
  return new Promise((ok) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${name}`,
        method: 'POST',
        headers: { Host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-gaa-token': token },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(deadlineMs, () => {
      req.destroy();
      ok('no answer');
    });
    req.on('error', () => ok('no answer'));
    req.end(JSON.stringify(args));
  });
}

describe.runIf(onLinux)('a folder on a pseudo-filesystem', () => {
  it('gaa import --project /proc/self/x fails at once with the reason, instead of hanging', async () => {
    const child = spawn(process.execPath, [join(repo, 'bin/gaa.js'), 'import', dataset, '--project', '/proc/self/x', '--json'], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud-cli') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    const code = await ended(child, 30_000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\/proc\/self\/x cannot hold data: it is under \/proc, a pseudo-filesystem/);
  });

  it('gaa export --out under /proc is refused before anything is written', async () => {
    const project = join(work, 'project-export');
    const imp = spawn(process.execPath, [join(repo, 'bin/gaa.js'), 'import', dataset, '--project', project, '--json'], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud-cli') },
      stdio: 'ignore',
    });
    expect(await ended(imp, 60_000)).toBe(0);
    const child = spawn(process.execPath, [join(repo, 'bin/gaa.js'), 'export', '--project', project, '--out', '/proc/self/exports', '--json'], {
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud-cli') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    expect(await ended(child, 30_000)).toBe(1);
    expect(stderr).toMatch(/\/proc\/self\/exports cannot hold data/);
  });

  it('the web host answers project.create under /proc with 400, keeps serving, and stops on SIGTERM', async () => {
    const renderer = join(work, 'renderer');
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>x</title>');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src-main/host/main.ts')], {
      cwd: repo,
      env: { ...process.env, GAA_USER_DATA: join(work, 'ud-host'), GAA_RENDERER_DIR: renderer },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<URL>((ok, fail) => {
        let out = '';
        child.stdout!.on('data', (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
          if (m) ok(new URL(m[0]));
        });
        child.on('exit', () => fail(new Error(`the host exited: ${out}`)));
      });
      const port = Number(url.port);
      const token = url.searchParams.get('token')!;
      const refused = await post(port, 'project.create', token, { dir: '/proc/self/x' }, 15_000);
      expect(refused).not.toBe('no answer');
      if (refused === 'no answer') return;
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error.message).toMatch(/pseudo-filesystem/);
      // The next request is answered: nothing is stuck.
      const next = await post(port, 'project.create', token, { dir: join(work, 'host-project') }, 15_000);
      expect(next === 'no answer' ? 0 : next.status).toBe(200);
      child.kill('SIGTERM');
      expect(await ended(child, 15_000)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
