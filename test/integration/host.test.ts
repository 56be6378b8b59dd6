import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let host: RunningHost;

/** A raw HTTP request, so headers (Host, Origin) can be forged the way a hostile page or DNS rebinding would. */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', fail);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const api = (name: string, args: unknown, token = host.token, extra: Record<string, string> = {}) =>
  raw(`/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gaa-token': token, ...extra },
    body: JSON.stringify(args),
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-host-'));
  const staticDir = join(work, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(work, 'secret.txt'), 'secret');
  host = await startHost({ port: 0, userDataDir: join(work, 'userdata'), staticDir });
  const fixture = await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 3, testGood: 1, defects: { crack: 3 } }, false);
  await api('project.create', { dir: join(work, 'project') });
  const started = JSON.parse((await api('dataset.import', { source: fixture.root, layout: 'mvtec' })).body);
  await (host.engine as import('../../src-main/engine/engine').Engine).waitForJob(started.result.jobId);
});
afterAll(async () => {
  await host.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the web host', () => {
  it('listens on loopback only and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a request with the token and refuses one without or with a wrong token', async () => {
    const good = await api('project.info', {});
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body).result.totals.normal).toBe(4);
    expect((await api('project.info', {}, '')).status).toBe(401);
    expect((await api('project.info', {}, 'x'.repeat(host.token.length))).status).toBe(401);
  });

  it('refuses a forged Host header (DNS rebinding)', async () => {
    expect((await api('project.info', {}, host.token, { Host: 'evil.example' })).status).toBe(421);
    expect((await raw(`/?token=${host.token}`, { headers: { Host: 'evil.example:80' } })).status).toBe(421);
  });

  it('validates arguments at the edge and names the bad field', async () => {
    const r = await api('dataset.image', { imageId: 'one' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/imageId/);
    expect((await api('no.such.request', {})).status).toBe(404);
  });

  it('accepts any request the contract accepts: a saveLabel body past 1 MiB reaches the engine', async () => {
    const normal = JSON.parse((await api('dataset.listImages', { kind: 'normal' })).body).result.items[0];
    const png = 'A'.repeat(3 * 1024 * 1024);
    const r = await api('regions.saveLabel', { imageId: normal.id, regions: [{ regionId: 999999, vectors: null, png }] });
    // The engine answered (the region is unknown), not the host's body cap.
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/region 999999 does not belong/);
  });

  it('serves registered images by id and refuses traversal and unknown ids', async () => {
    const list = JSON.parse((await api('dataset.listImages', { kind: 'anomaly' })).body).result;
    const id = list.items[0].id;
    const detail = JSON.parse((await api('dataset.image', { imageId: id })).body).result;
    const img = await raw(`/img/image/${id}?token=${host.token}`);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await raw(`/img/mask/${detail.masks[0].id}?token=${host.token}`)).status).toBe(200);
    expect((await raw(`/img/thumb/${id}?token=${host.token}`)).headers['content-type']).toBe('image/jpeg');
    expect((await raw(`/img/image/${id}`)).status).toBe(401);
    for (const bad of ['/img/../../secret.txt', '/img/image/999999', `/img/image/${id}/../../x`, '/img/%2e%2e/secret.txt', '/img/file/1']) {
      const r = await raw(`${bad}?token=${host.token}`);
      expect(r.status, bad).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('secret');
    }
  });

  it('serves the app only with the token, then by a strict cookie, never outside its folder', async () => {
    expect((await raw('/')).status).toBe(401);
    const first = await raw(`/?token=${host.token}`);
    expect(first.status).toBe(200);
    expect(String(first.headers['content-security-policy'])).toContain("default-src 'none'");
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const again = await raw('/index.html', { headers: { cookie: cookie.split(';')[0] } });
    expect(again.status).toBe(200);
    expect((await raw('/../secret.txt', { headers: { cookie: cookie.split(';')[0] } })).body).not.toContain('secret');
    // The API does not accept the cookie: a foreign page's form post would carry it.
    expect(
      (await raw('/api/project.info', { method: 'POST', headers: { cookie: cookie.split(';')[0], 'content-type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(401);
  });

  it('gives the static-file cookie its own value, which the API refuses (cookies ignore ports)', async () => {
    const first = await raw(`/?token=${host.token}`);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Path=\//);
    const value = setCookie.split(';')[0].split('=').slice(1).join('=');
    expect(value.length).toBeGreaterThanOrEqual(32);
    // Another service on 127.0.0.1 receives this cookie: it must not open the API, the images or the socket.
    expect(value).not.toBe(host.token);
    expect(setCookie).not.toContain(host.token);
    expect((await api('project.info', {}, value)).status).toBe(401);
    expect((await api('project.info', {}, decodeURIComponent(value))).status).toBe(401);
    const list = JSON.parse((await api('dataset.listImages', { kind: 'normal' })).body).result;
    expect((await raw(`/img/image/${list.items[0].id}?token=${encodeURIComponent(value)}`)).status).toBe(401);
    // The cookie still opens the app's own files, and the token in a cookie does not.
    expect((await raw('/index.html', { headers: { cookie: setCookie.split(';')[0] } })).status).toBe(200);
    expect((await raw('/index.html', { headers: { cookie: `gaa_token=${host.token}` } })).status).toBe(401);
  });

  it('answers malformed percent-encoding in a path, a cookie or an API name with 400, not 500', async () => {
    const cookie = String((await raw(`/?token=${host.token}`)).headers['set-cookie']).split(';')[0];
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', '/%']) {
      const r = await raw(path, { headers: { cookie } });
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body).error.message).toMatch(/percent-encoding/);
    }
    const apiBad = await raw('/api/project.info%E0%A4%A', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gaa-token': host.token },
      body: '{}',
    });
    expect(apiBad.status).toBe(400);
    // A cookie that is not ours (bad encoding included) is simply not accepted.
    for (const c of ['gaa_static=%E0%A4%A', 'gaa_token=%E0%A4%A', `${cookie}; other=%`]) {
      const r = await raw('/index.html', { headers: { cookie: c } });
      expect(r.status, c).toBeLessThan(500);
    }
    expect((await raw('/index.html', { headers: { cookie: 'gaa_static=%E0%A4%A' } })).status).toBe(401);
  });

  it('opens the event socket only with the token and from its own origin', async () => {
    const attempt = (url: string, origin?: string) =>
      new Promise<'open' | 'refused'>((ok) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('open', () => (ws.close(), ok('open')));
        ws.on('error', () => ok('refused'));
      });
    const base = `ws://127.0.0.1:${host.port}/events`;
    expect(await attempt(`${base}?token=${host.token}`)).toBe('open');
    expect(await attempt(base)).toBe('refused');
    expect(await attempt(`${base}?token=${host.token}`, 'http://evil.example')).toBe('refused');
  });
});
