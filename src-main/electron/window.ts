/** The workbench window: locked-down renderer settings and what it loads. */
import { BrowserWindow, type WebPreferences } from 'electron';
import type { AppLocation } from './app-location';

export const windowTitle = 'GAA Workbench';

/**
 * The renderer is treated as untrusted: no Node, its own JS world, OS-sandboxed, and only
 * the preload's `window.gaa` bridge reaches main.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function createMainWindow(opts: { preloadPath: string; location: AppLocation }): BrowserWindow {
  const win = new BrowserWindow({
    title: windowTitle,
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  // Showing only once painted avoids a white flash before the dark UI draws.
  win.once('ready-to-show', () => win.show());
  // The renderer shows the open project and the ONNX Runtime provider in the title bar; any
  // other title (a page that is not ours can never load, but stay strict) keeps the app's name.
  win.on('page-title-updated', (e, title: string) => {
    if (title !== windowTitle && !title.startsWith(`${windowTitle} — `)) e.preventDefault();
  });
  void win.loadURL(opts.location.entryUrl).catch((err: unknown) => {
    console.error('[window] could not load the workbench UI:', err);
  });
  return win;
}
