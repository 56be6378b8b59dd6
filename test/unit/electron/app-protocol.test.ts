import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { installAppProtocol } from '../../../src-main/electron/app-protocol';
import { appFileOfUrl } from '../../../src-main/electron/app-url';
import { protocol } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const dir = mkdtempSync(join(tmpdir(), 'gaa-app-'));
const root = join(dir, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>GAA Workbench</title>');
writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'secret');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csp = "default-src 'none'; script-src 'self'";
installAppProtocol(root, csp);
const get = (url: string, method = 'GET') => protocol.handlers.get('gaa-app')!(new Request(url, { method }));

describe('the gaa-app protocol (the UI from the app bundle)', () => {
  it('serves the built renderer with its type, the content security policy and no caching', async () => {
    const page = await get('gaa-app://bundle/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('GAA Workbench');
    const script = await get('gaa-app://bundle/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('gaa-app://bundle/')).status).toBe(200);
  });

  it('answers nothing outside the renderer folder, however the path is spelt', async () => {
    for (const url of [
      'gaa-app://bundle/../secret.txt',
      'gaa-app://bundle/%2e%2e/secret.txt',
      'gaa-app://bundle/..%2fsecret.txt',
      'gaa-app://bundle/..%5csecret.txt',
      'gaa-app://bundle/assets/%00.js',
      'gaa-app://bundle/%E0%A4%A',
      'gaa-app://other/index.html',
      'gaa-app://bundle/missing.js',
      'gaa-app://bundle/assets',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('secret');
    }
    expect((await get('gaa-app://bundle/index.html', 'POST')).status).toBe(405);
  });

  it('names only files inside the root', () => {
    expect(appFileOfUrl(root, 'gaa-app://bundle/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    // Dot segments, encoded or not, are resolved by the URL parser inside the root, never above it.
    expect(appFileOfUrl(root, 'gaa-app://bundle/%2e%2e/secret.txt')).toBe(join(root, 'secret.txt'));
    expect(appFileOfUrl(root, 'gaa-app://bundle/..%2fsecret.txt')).toBeNull();
    expect(appFileOfUrl(root, 'file:///etc/passwd')).toBeNull();
    expect(appFileOfUrl(root, 'gaa-app://user:pw@bundle/index.html')).toBeNull();
  });
});
