import { existsSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import NodeWebSocket from 'ws';
import { requestNames } from '../../src-main/api/contract';
import { hostCall, jobList, openWebSession, tempDir, trackFailures, until, type WebSession } from './fixtures';
import { writeTinyDataset } from './tiny-dataset';

/** One HTTP exchange with exactly the path and headers given (fetch would normalise `..`). */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** Resolves with the upgrade's answer: 'open', or the HTTP status it was refused with. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((ok) => {
    const ws = new NodeWebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      ok('open');
    });
    ws.on('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
    ws.on('error', () => ok(0));
  });
}

describe('Web host security', () => {
  let s: WebSession | undefined;
  let work: string;
  let imageId: number;
  let port: number;
  let token: string;
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('security');
    port = s.host.port;
    token = s.host.token;
    work = tempDir('security-data');
    await writeTinyDataset(join(work, 'dataset'));
    await hostCall(s.host, 'project.create', { dir: join(work, 'project') });
    await hostCall(s.host, 'dataset.import', { source: join(work, 'dataset'), layout: 'mvtec' });
    const jobs = await until(() => jobList(s!), (js) => js.every((j) => j.status !== 'running' && j.status !== 'queued'), 'the import');
    expect(jobs.map((j) => j.status)).toEqual(['done']);
    const page = await hostCall(s.host, 'dataset.listImages', { limit: 1 });
    imageId = page.items[0].id;
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('gives the page no Node: require, process and module are undefined', async () => {
    // A reload drops the token from the URL (it was moved to sessionStorage) and must still work.
    await s!.page.reload();
    await s!.page.locator('[data-testid="project-shell"]').waitFor();
    const types = await s!.page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return [typeof g.require, typeof g.process, typeof g.module, typeof g.Buffer];
    });
    expect(types).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('serves registered images with the token and refuses traversal, unknown ids and unregistered paths', async () => {
    expect(await raw(port, `/img/image/${imageId}?token=${token}`)).toBe(200);
    expect(await raw(port, `/img/thumb/${imageId}?token=${token}`)).toBe(200);
    expect(await raw(port, `/img/image/${imageId}`)).toBe(401);
    const refused = [
      '/img/../../etc/passwd',
      '/img/%2e%2e/%2e%2e/etc/passwd',
      '/img/image/999999',
      `/img/image/${imageId}/../../x`,
      `/img/image/${imageId}%2f..%2f..%2fx`,
      '/img/file/etc/passwd',
      `/img/${encodeURIComponent(join(work, 'dataset/widget/train/good/000.png'))}`,
      '/img/image/0',
      '/img/image/-1',
    ];
    for (const path of refused) {
      const status = await raw(port, `${path}?token=${token}`);
      expect({ path, refused: status >= 400 && status < 500 }).toEqual({ path, refused: true });
    }
  });

  it('refuses every API request without the token or with a wrong one', async () => {
    const wrong = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    for (const name of requestNames) {
      for (const headers of [{}, { 'x-gaa-token': wrong }, { 'x-gaa-token': '' }] as Record<string, string>[]) {
        const status = await raw(port, `/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
        expect({ name, status: [401, 403].includes(status) }).toEqual({ name, status: true });
      }
    }
    // The token in the query string is for images and the socket, not for the API.
    expect([401, 403]).toContain(await raw(port, `/api/app.info?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect(await raw(port, '/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json', 'x-gaa-token': token }, body: '{}' })).toBe(200);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const evil = { Host: 'evil.example', 'content-type': 'application/json', 'x-gaa-token': token };
    for (const [path, method] of [
      ['/api/app.info', 'POST'],
      [`/img/image/${imageId}?token=${token}`, 'GET'],
      [`/?token=${token}`, 'GET'],
    ] as const) {
      const status = await raw(port, path, { method, headers: evil, body: method === 'POST' ? '{}' : undefined });
      expect({ path, refused: status >= 400 && status < 500 }).toEqual({ path, refused: true });
    }
  });

  it('refuses an event socket without the token, with a wrong one, or from a foreign origin', async () => {
    const base = `ws://127.0.0.1:${port}/events`;
    expect(await tryWebSocket(base)).not.toBe('open');
    expect(await tryWebSocket(`${base}?token=wrong`)).not.toBe('open');
    expect(await tryWebSocket(`${base}?token=${token}`, { Origin: 'http://evil.example' })).not.toBe('open');
    expect(await tryWebSocket(`${base}?token=${token}`)).toBe('open');
  });

  it('does not let a page from another local port drive or read the API', async () => {
    const target = join(work, 'created-by-attacker');
    const attacker: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>other</title><p>another local app</p>');
    });
    await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', ok));
    const attackerPort = (attacker.address() as AddressInfo).port;
    const page = await s!.context.newPage();
    try {
      await page.goto(`http://127.0.0.1:${attackerPort}/`);
      const outcome = await page.evaluate(
        async ({ origin, token: t, dir }) => {
          const body = JSON.stringify({ dir });
          const results: string[] = [];
          // A "simple" request needs no preflight and reaches the host, but carries no token
          // header; whether the page may see the (opaque) answer does not matter here.
          await fetch(`${origin}/api/project.create`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }).catch(
            () => undefined,
          );
          // Even holding the token, the custom header forces a preflight the host does not grant.
          for (const name of ['project.create', 'app.info']) {
            await fetch(`${origin}/api/${name}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-gaa-token': t },
              body: name === 'app.info' ? '{}' : body,
            }).then(
              async (r) => results.push(`${name}:read ${r.status} ${await r.text()}`),
              () => results.push(`${name}:blocked`),
            );
          }
          results.push(
            await new Promise<string>((done) => {
              const ws = new WebSocket(`${origin.replace('http', 'ws')}/events?token=${t}`);
              ws.onopen = () => done('ws:open');
              ws.onerror = () => done('ws:blocked');
            }),
          );
          return results;
        },
        { origin: `http://127.0.0.1:${port}`, token, dir: target },
      );
      expect(outcome).toEqual(['project.create:blocked', 'app.info:blocked', 'ws:blocked']);
      expect(existsSync(target)).toBe(false);
      expect((await hostCall(s!.host, 'project.info', {})).dir).toBe(join(work, 'project'));
      // The same request with the token from a legitimate client does take effect.
      await hostCall(s!.host, 'project.create', { dir: target });
      expect(existsSync(target)).toBe(true);
    } finally {
      await page.close();
      await new Promise<void>((ok) => attacker.close(() => ok()));
    }
  });
});
