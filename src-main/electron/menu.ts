/**
 * The application menu. Its actions go through the engine like any renderer request; the
 * engine's own `project.changed` event then updates the UI, so the menu never talks to the
 * renderer directly.
 */
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { toWireError } from '../api/contract';
import type { EngineEndpoint } from '../engine/endpoint';
import { windowTitle } from './window';

/** Each action settles once it has finished, failures included (they are shown, not thrown). */
export interface MenuActions {
  openProject(): Promise<void>;
  openDemo(): Promise<void>;
  about(): Promise<void>;
}

export function menuTemplate(opts: { dev: boolean; platform: NodeJS.Platform; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { actions } = opts;
  const mac = opts.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push({
    label: 'File',
    submenu: [
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void actions.openProject() },
      { label: 'Open Demo Project', click: () => void actions.openDemo() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  // Text fields need the clipboard shortcuts, which on macOS exist only through menu roles.
  // Undo/redo are left to the renderer, whose editors keep their own history.
  template.push({
    label: 'Edit',
    submenu: [{ role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  if (opts.dev) {
    template.push({ label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] });
  }
  template.push({ role: 'help', submenu: [{ label: `About ${windowTitle}`, click: () => void actions.about() }] });
  return template;
}

async function reportFailure(win: BrowserWindow | null, what: string, err: unknown): Promise<void> {
  const options = { type: 'error' as const, title: windowTitle, message: what, detail: toWireError(err).message };
  if (win && !win.isDestroyed()) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

export function menuActions(engine: EngineEndpoint, getWindow: () => BrowserWindow | null): MenuActions {
  const run = (what: string, job: () => Promise<unknown>): Promise<void> =>
    job().then(
      () => undefined,
      (err: unknown) => reportFailure(getWindow(), what, err),
    );
  return {
    openProject: () =>
      run('The project could not be opened.', async () => {
        const win = getWindow();
        const options = {
          title: 'Open Project',
          buttonLabel: 'Open',
          properties: ['openDirectory' as const, 'createDirectory' as const],
        };
        const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        const dir = picked.filePaths[0];
        if (picked.canceled || !dir) return;
        await engine.invoke('project.open', { dir });
      }),
    openDemo: () => run('The demo project could not be opened.', () => engine.invoke('project.openDemo', { run: 'all' })),
    about: () =>
      run('About failed.', async () => {
        const win = getWindow();
        const options = {
          type: 'info' as const,
          title: `About ${windowTitle}`,
          message: `${windowTitle} ${app.getVersion()}`,
          detail: `Few-shot anomaly image-mask pair synthesis for visual inspection.\n\nElectron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`,
        };
        if (win && !win.isDestroyed()) await dialog.showMessageBox(win, options);
        else await dialog.showMessageBox(options);
      }),
  };
}

export function installMenu(opts: { engine: EngineEndpoint; getWindow: () => BrowserWindow | null; dev: boolean }): void {
  const template = menuTemplate({ dev: opts.dev, platform: process.platform, actions: menuActions(opts.engine, opts.getWindow) });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
