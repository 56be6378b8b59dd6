import { describe, expect, it, vi } from 'vitest';
import { appLocation, devServerUrl } from '../../../src-main/electron/app-location';
import { createMainWindow } from '../../../src-main/electron/window';
import { BrowserWindow } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const rendererFile = '/opt/gaa/out/renderer/index.html';

describe('the workbench window', () => {
  it('locks the renderer down with exactly the secure web preferences', () => {
    const location = appLocation({ rendererFile, devServerUrl: null });
    createMainWindow({ preloadPath: '/opt/gaa/out/preload/index.js', location });
    const win = BrowserWindow.created.at(-1)!;
    expect(win.options.webPreferences).toEqual({
      preload: '/opt/gaa/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(win.options.title).toBe('GAA Workbench');
  });

  it('loads the built renderer from the privileged gaa-app scheme, never from file://', () => {
    const location = appLocation({ rendererFile, devServerUrl: null });
    createMainWindow({ preloadPath: '/p.js', location });
    expect(BrowserWindow.created.at(-1)!.loaded).toEqual(['gaa-app://bundle/index.html']);
    expect(location.rendererRoot).toBe('/opt/gaa/out/renderer');
  });

  it('loads the dev server when one is given', () => {
    const location = appLocation({ rendererFile, devServerUrl: 'http://localhost:5173/' });
    createMainWindow({ preloadPath: '/p.js', location });
    expect(BrowserWindow.created.at(-1)!.loaded).toEqual(['http://localhost:5173/']);
  });

  it("lets only titles that start with the app's name replace the window title", () => {
    createMainWindow({ preloadPath: '/p.js', location: appLocation({ rendererFile, devServerUrl: null }) });
    const win = BrowserWindow.created.at(-1)!;
    const prevented = (title: string): boolean => {
      let p = false;
      win.emit('page-title-updated', { preventDefault: () => (p = true) }, title);
      return p;
    };
    expect(prevented('Some page')).toBe(true);
    expect(prevented('GAA Workbenchmark')).toBe(true);
    // The renderer's own title: project and the ONNX Runtime provider in use.
    expect(prevented('GAA Workbench — demo — CPU')).toBe(false);
    expect(prevented('GAA Workbench')).toBe(false);
  });
});

describe('the dev server URL', () => {
  it('accepts plain http on localhost for an unpackaged app', () => {
    expect(devServerUrl('http://localhost:5173', false)).toBe('http://localhost:5173/');
  });

  it('refuses anything that could point the window at a remote page', () => {
    for (const raw of [
      'https://localhost:5173/',
      'http://evil.example/',
      'http://localhost.evil.example/',
      'http://user:pw@localhost:5173/',
      'file:///etc/passwd',
      'not a url',
      '',
      undefined,
    ]) {
      expect(devServerUrl(raw, false), String(raw)).toBeNull();
    }
  });

  it('is ignored entirely in a packaged app', () => {
    expect(devServerUrl('http://localhost:5173/', true)).toBeNull();
  });
});

describe("the app's own URLs", () => {
  it('are the gaa-app files of the built renderer folder and nothing else, file:// included', () => {
    const location = appLocation({ rendererFile, devServerUrl: null });
    expect(location.isAppUrl('gaa-app://bundle/index.html')).toBe(true);
    expect(location.isAppUrl('gaa-app://bundle/index.html#/clusters')).toBe(true);
    expect(location.isAppUrl('gaa-app://bundle/assets/index-abc.js')).toBe(true);
    expect(location.isAppUrl('gaa-app://bundle/../main/index.js')).toBe(true); // the URL parser keeps it inside: /main/index.js
    expect(location.isAppUrl('gaa-app://bundle/..%2fmain/index.js')).toBe(false);
    expect(location.isAppUrl('gaa-app://bundle/%E0%A4%A')).toBe(false);
    expect(location.isAppUrl('gaa-app://other/index.html')).toBe(false);
    expect(location.isAppUrl('gaa-img://project/image/1')).toBe(false);
    expect(location.isAppUrl('file:///opt/gaa/out/renderer/index.html')).toBe(false);
    expect(location.isAppUrl('file:///opt/gaa/out/main/index.js')).toBe(false);
    expect(location.isAppUrl('https://evil.example/')).toBe(false);
    expect(location.isAppUrl('http://localhost:5173/')).toBe(false);
  });

  it('are the dev server origin only, while developing', () => {
    const location = appLocation({ rendererFile, devServerUrl: 'http://localhost:5173/' });
    expect(location.isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(location.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(location.isAppUrl('file:///opt/gaa/out/renderer/index.html')).toBe(false);
    expect(location.isAppUrl('https://evil.example/')).toBe(false);
  });
});
