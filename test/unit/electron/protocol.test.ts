import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src-main/api/contract';
import type { ResolvedImage } from '../../../src-main/engine/endpoint';
import { installImageProtocol, registerSchemes } from '../../../src-main/electron/protocol';
import { protocol } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const dir = mkdtempSync(join(tmpdir(), 'gaa-img-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An engine that knows exactly one image: image/12 → a PNG-signature file on disk. */
function engineWith(resolve: (refPath: string) => Promise<ResolvedImage | null>) {
  const asked: string[] = [];
  installImageProtocol({
    resolveImage: (refPath) => {
      asked.push(refPath);
      return resolve(refPath);
    },
  });
  const handler = protocol.handlers.get('gaa-img')!;
  return { asked, get: (url: string, method = 'GET') => handler(new Request(url, { method })) };
}

const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 250]);
const pngFile = join(dir, 'image-12.png');
writeFileSync(pngFile, pngBytes);
const known = async (refPath: string): Promise<ResolvedImage | null> =>
  refPath === 'image/12' ? { filePath: pngFile, mime: 'image/png' } : null;

describe('the gaa-img protocol', () => {
  it('registers a standard, secure, fetchable, streaming scheme', () => {
    registerSchemes();
    expect(protocol.privileged).toEqual([
      { scheme: 'gaa-app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
      { scheme: 'gaa-img', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
    ]);
  });

  it('streams a registered file with its type and no caching', async () => {
    const { get, asked } = engineWith(known);
    const res = await get('gaa-img://project/image/12');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-length')).toBe('16');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pngBytes);
    expect(asked).toEqual(['image/12']);
  });

  it('refuses a path traversal with 400 without asking the engine', async () => {
    const { get, asked } = engineWith(known);
    expect((await get('gaa-img://project/../etc/passwd')).status).toBe(400);
    expect((await get('gaa-img://project/%2e%2e/%2e%2e/etc/passwd')).status).toBe(400);
    expect((await get('gaa-img://project/image%2F12')).status).toBe(400);
    expect(asked).toEqual([]);
  });

  it('refuses anything but a numeric id with 400', async () => {
    const { get, asked } = engineWith(known);
    for (const url of [
      'gaa-img://project/image/abc',
      'gaa-img://project/image/0',
      'gaa-img://project/image/12/extra',
      'gaa-img://project/file/12',
      'gaa-img://project/',
      'gaa-img://elsewhere/image/12',
    ]) {
      expect((await get(url)).status, url).toBe(400);
    }
    expect(asked).toEqual([]);
  });

  it('answers 404 when the engine does not know the image', async () => {
    const { get, asked } = engineWith(known);
    const res = await get('gaa-img://project/mask/7');
    expect(res.status).toBe(404);
    expect(asked).toEqual(['mask/7']);
  });

  it('answers 404 when no project is open', async () => {
    const { get } = engineWith(async () => {
      throw new ApiError('no_project', 'no project is open');
    });
    expect((await get('gaa-img://project/thumb/3')).status).toBe(404);
  });

  it('answers 404 when the registered file has vanished from disk', async () => {
    const { get } = engineWith(async () => ({ filePath: join(dir, 'gone.png'), mime: 'image/png' }));
    expect((await get('gaa-img://project/image/5')).status).toBe(404);
  });

  it('answers 500 when the engine fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { get } = engineWith(async () => {
      throw new Error('engine exploded');
    });
    const res = await get('gaa-img://project/image/5');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('exploded');
  });

  it('serves reads only', async () => {
    const { get, asked } = engineWith(known);
    expect((await get('gaa-img://project/image/12', 'POST')).status).toBe(405);
    expect(asked).toEqual([]);
  });
});
