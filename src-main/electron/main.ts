/**
 * Electron main: app lifecycle only. The engine runs in a utility process, the renderer is
 * sandboxed, and this process routes between them (ipc.ts, protocol.ts).
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session, utilityProcess } from 'electron';
import { appLocation, devServerUrl, type AppLocation } from './app-location';
import { EngineSupervisor } from './engine-supervisor';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { installAppProtocol } from './app-protocol';
import { installImageProtocol, registerSchemes } from './protocol';
import { contentSecurityPolicy, installAppGuards, installSessionGuards } from './security';
import { createMainWindow, windowTitle } from './window';

// Both must happen before `ready`.
registerSchemes();
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
const getWindow = (): BrowserWindow | null => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

function openWindow(location: AppLocation): void {
  const win = createMainWindow({ preloadPath: join(__dirname, '../preload/index.js'), location });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

function reportEngineCrash(message: string): void {
  console.error(`[engine] ${message}`);
  const win = getWindow();
  const options = { type: 'error' as const, title: windowTitle, message: 'The engine stopped', detail: message };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

async function start(): Promise<void> {
  const dev = !app.isPackaged;
  const location = appLocation({
    rendererFile: join(__dirname, '../renderer/index.html'),
    devServerUrl: devServerUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged),
  });
  installSessionGuards(session.defaultSession, location);
  installAppGuards(location);

  const engine = new EngineSupervisor({
    fork: () => utilityProcess.fork(join(__dirname, 'engine.js'), [], { serviceName: 'GAA engine', stdio: 'inherit' }),
    userDataDir: app.getPath('userData'),
    onCrash: reportEngineCrash,
  });
  engine.start();

  if (location.rendererRoot) installAppProtocol(location.rendererRoot, contentSecurityPolicy(null));
  installImageProtocol(engine);
  registerIpc({ engine, getWindow, location });
  installMenu({ engine, getWindow, dev });
  openWindow(location);

  app.on('activate', () => {
    if (!getWindow()) openWindow(location);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let engineClosed = false;
  app.on('will-quit', (event) => {
    if (engineClosed) return;
    // The engine gets to finish its writes and checkpoint the project database before exit.
    event.preventDefault();
    void engine
      .close()
      .catch((err: unknown) => console.error('[engine] close failed:', err))
      .finally(() => {
        engineClosed = true;
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox(windowTitle, `The workbench could not start: ${err instanceof Error ? err.message : String(err)}`);
      app.exit(1);
    });
}
