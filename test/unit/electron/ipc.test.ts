import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, parseArgs, requests, type EventName, type Events, type RequestName } from '../../../src-main/api/contract';
import type { EngineEndpoint } from '../../../src-main/engine/endpoint';
import { appLocation } from '../../../src-main/electron/app-location';
import { registerIpc } from '../../../src-main/electron/ipc';
import { BrowserWindow, dialog, FakeFrame, FakeWebContents, ipcMain } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const appPage = 'gaa-app://bundle/index.html';
const location = appLocation({ rendererFile: '/opt/gaa/out/renderer/index.html', devServerUrl: null });

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Parses like the real engine, then echoes what it got. */
class EchoEngine implements EngineEndpoint {
  calls: [RequestName, unknown][] = [];
  listeners = new Set<Listener>();
  async invoke(name: RequestName, args: unknown): Promise<unknown> {
    this.calls.push([name, args]);
    return { name, parsed: parseArgs(name, args) };
  }
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async resolveImage(): Promise<null> {
    return null;
  }
  async close(): Promise<void> {}
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) l(event, payload);
  }
}

function setup() {
  const engine = new EchoEngine();
  const win = new BrowserWindow({});
  win.webContents.mainFrame.url = appPage;
  const dispose = registerIpc({ engine, getWindow: () => win as never, location });
  const call = (channel: string, event: { sender: unknown; senderFrame: unknown }, args: unknown) =>
    ipcMain.handlers.get(channel)!(event, args);
  return { engine, win, dispose, call };
}

let disposeLast: (() => void) | null = null;
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  disposeLast?.();
  disposeLast = null;
});

describe('IPC routing', () => {
  it('registers exactly one gaa: channel per request in the contract and nothing else', () => {
    const { dispose } = setup();
    disposeLast = dispose;
    // Read from the contract's map itself, so a request added there must get its channel here.
    const expected = Object.keys(requests).map((n) => `gaa:${n}`);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(expected.sort());
    expect(ipcMain.on).not.toHaveBeenCalled();
  });

  it('removes its channels when disposed', () => {
    const { dispose } = setup();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers the main frame of the workbench window', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    const reply = await call('gaa:project.open', { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { dir: '/data/p' });
    expect(reply).toEqual({ ok: true, result: { name: 'project.open', parsed: { dir: '/data/p' } } });
    expect(engine.calls).toEqual([['project.open', { dir: '/data/p' }]]);
  });

  it('refuses a subframe of the window', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    const subframe = new FakeFrame(appPage, win.webContents.mainFrame);
    const reply = await call('gaa:project.open', { sender: win.webContents, senderFrame: subframe }, { dir: '/x' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(engine.calls).toEqual([]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('refused project.open'));
  });

  it('refuses the main frame once it shows a foreign page', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    win.webContents.mainFrame.url = 'https://evil.example/';
    const reply = await call('gaa:project.open', { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { dir: '/x' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(engine.calls).toEqual([]);
  });

  it('refuses another webContents, even one showing the app page', async () => {
    const { engine, dispose, call } = setup();
    disposeLast = dispose;
    const other = new FakeWebContents(appPage);
    const reply = await call('gaa:project.open', { sender: other, senderFrame: other.mainFrame }, { dir: '/x' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(engine.calls).toEqual([]);
  });

  it('refuses a frame that has gone away', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    const reply = await call('gaa:app.info', { sender: win.webContents, senderFrame: null }, {});
    expect(reply).toMatchObject({ ok: false });
    expect(engine.calls).toEqual([]);
  });

  it('returns invalid arguments as a bad_request error naming the field', async () => {
    const { win, dispose, call } = setup();
    disposeLast = dispose;
    const reply = await call('gaa:project.open', { sender: win.webContents, senderFrame: win.webContents.mainFrame }, { dir: '' });
    expect(reply).toEqual({ ok: false, error: { code: 'bad_request', message: 'project.open: dir: a path is required' } });
  });

  it('answers system.pickFolder with the native folder dialog, not the engine (issue 12, item 9)', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    const frame = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/mvtec/bottle'] });
    expect(await call('gaa:system.pickFolder', frame, { title: 'Dataset folder' })).toEqual({ ok: true, result: { path: '/data/mvtec/bottle' } });
    expect(dialog.showOpenDialog).toHaveBeenLastCalledWith(win, expect.objectContaining({ title: 'Dataset folder', properties: expect.arrayContaining(['openDirectory']) }));
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await call('gaa:system.pickFolder', frame, {})).toEqual({ ok: true, result: { path: null } });
    expect(engine.calls).toEqual([]);
  });

  it('carries engine errors across as wire errors with their code', async () => {
    const { engine, win, dispose, call } = setup();
    disposeLast = dispose;
    engine.invoke = async () => {
      throw new ApiError('no_project', 'no project is open');
    };
    const reply = await call('gaa:project.info', { sender: win.webContents, senderFrame: win.webContents.mainFrame }, {});
    expect(reply).toEqual({ ok: false, error: { code: 'no_project', message: 'no project is open' } });
  });

  it('forwards engine events to the window on the event channel', () => {
    const { engine, win, dispose } = setup();
    disposeLast = dispose;
    engine.emit('project.changed', null);
    expect(win.webContents.send).toHaveBeenCalledWith('gaa:event', 'project.changed', null);
  });

  it('drops events while the window is gone', () => {
    const { engine, win, dispose } = setup();
    disposeLast = dispose;
    win.destroyed = true;
    engine.emit('project.changed', null);
    expect(win.webContents.send).not.toHaveBeenCalled();
  });
});
