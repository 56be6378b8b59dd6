import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GaaApi } from '../../../src-main/api/contract';
import { fromBridgeError } from '../../../src-main/api/errors';
import { contextBridge, ipcRenderer } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

// Importing the preload runs it, as Electron does before the page loads.
await import('../../../src-preload/index');
const gaa = contextBridge.exposed.get('gaa') as GaaApi;

beforeEach(() => {
  ipcRenderer.invoke.mockReset();
});

describe('the preload bridge', () => {
  it('exposes exactly invoke, on and imageUrl as window.gaa', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['gaa']);
    expect(Object.keys(gaa).sort()).toEqual(['imageUrl', 'invoke', 'on']);
  });

  it('sends a request on its own channel and returns the result', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, result: { closed: true } });
    await expect(gaa.invoke('project.close', {})).resolves.toEqual({ closed: true });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('gaa:project.close', {});
  });

  it('rejects an unknown request without touching IPC', async () => {
    await expect(gaa.invoke('shell.exec' as never, { cmd: 'rm -rf /' } as never)).rejects.toThrow(/unknown request: shell\.exec/);
    await expect(gaa.invoke('constructor' as never, {} as never)).rejects.toThrow(/unknown request/);
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('turns a wire error into a thrown error whose code survives the contextBridge', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: false, error: { code: 'no_project', message: 'no project is open' } });
    const err = await gaa.invoke('project.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    // The bridge copied the message only, as Electron does; the renderer reads the code back out of it.
    expect(err).not.toHaveProperty('code');
    expect(fromBridgeError(err)).toEqual({ code: 'no_project', message: 'no project is open' });
  });

  it('gives a malformed reply the internal code, and a foreign error no code of ours', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: false, error: 'boom' });
    expect(fromBridgeError(await gaa.invoke('project.info', {}).catch((e: unknown) => e))).toEqual({
      code: 'internal',
      message: 'project.info: malformed reply',
    });
    expect(fromBridgeError(new Error('gaa:made_up: no such code'))).toEqual({ code: 'internal', message: 'gaa:made_up: no such code' });
  });

  it('hands listeners the payload only, never the IPC event', () => {
    const seen: unknown[][] = [];
    const off = gaa.on('job.progress', (...args: unknown[]) => seen.push(args));
    const progress = { jobId: 3, kind: 'import', done: 5, total: 10, failed: 0, etaMs: null, message: 'importing' };
    ipcRenderer.emit('gaa:event', 'job.progress', progress);
    expect(seen).toEqual([[progress]]);
    off();
  });

  it('delivers each event to its own listeners only', () => {
    const changed: unknown[] = [];
    const off = gaa.on('project.changed', (p) => changed.push(p));
    ipcRenderer.emit('gaa:event', 'job.finished', { jobId: 1 });
    ipcRenderer.emit('gaa:event', 'project.changed', null);
    expect(changed).toEqual([null]);
    off();
  });

  it('stops delivering after unsubscribe', () => {
    const changed: unknown[] = [];
    const off = gaa.on('project.changed', (p) => changed.push(p));
    ipcRenderer.emit('gaa:event', 'project.changed', null);
    off();
    ipcRenderer.emit('gaa:event', 'project.changed', null);
    expect(changed).toEqual([null]);
  });

  it('refuses to subscribe to an unknown event', () => {
    expect(() => gaa.on('ipc.raw' as never, () => {})).toThrow(/unknown event/);
  });

  it('ignores pushes naming an unknown event', () => {
    const changed: unknown[] = [];
    const off = gaa.on('project.changed', (p) => changed.push(p));
    ipcRenderer.emit('gaa:event', '__proto__', {});
    expect(changed).toEqual([]);
    off();
  });

  it('builds image URLs from ids only', () => {
    expect(gaa.imageUrl({ kind: 'thumb', imageId: 12 })).toBe('gaa-img://project/thumb/12');
    expect(gaa.imageUrl({ kind: 'image', imageId: 3 })).toBe('gaa-img://project/image/3');
    expect(gaa.imageUrl({ kind: 'mask', maskId: 7 })).toBe('gaa-img://project/mask/7');
  });
});
