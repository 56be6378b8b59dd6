/**
 * The only place main talks raw IPC. One `gaa:<request>` invoke channel per request in the
 * contract, each accepting calls only from the top-level frame of our window showing our
 * own page; arguments go to the engine untouched, which parses them against the contract.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { parseArgs, requestNames, toWireError, type RequestName } from '../api/contract';
import type { EngineEndpoint } from '../engine/endpoint';
import type { AppLocation } from './app-location';
import { eventChannel, invokeChannel, type InvokeReply } from './channels';

export interface IpcWiring {
  engine: EngineEndpoint;
  /** The workbench window, or null while there is none (macOS keeps running without one). */
  getWindow(): BrowserWindow | null;
  location: AppLocation;
}

/** VS Code's rule: only the app's own top-level frame may call in, never an iframe or another webContents. */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | null, location: AppLocation): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  if (event.sender !== contents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== contents.mainFrame) return false;
  return location.isAppUrl(frame.url);
}

/** `system.pickFolder`: the native folder dialog, the one request main answers itself (the engine has no window). */
async function pickFolder(win: BrowserWindow | null, args: unknown): Promise<{ path: string | null }> {
  const { title } = parseArgs('system.pickFolder', args);
  const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
  const picked = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return { path: picked.canceled ? null : (picked.filePaths[0] ?? null) };
}

async function answer(engine: EngineEndpoint, name: RequestName, args: unknown, win: BrowserWindow | null): Promise<InvokeReply> {
  try {
    if (name === 'system.pickFolder') return { ok: true, result: await pickFolder(win, args) };
    return { ok: true, result: await engine.invoke(name, args) };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

/** Registers every request channel and forwards engine events to the window. Returns an undo function. */
export function registerIpc(wiring: IpcWiring): () => void {
  for (const name of requestNames) {
    ipcMain.handle(invokeChannel(name), (event, args: unknown): Promise<InvokeReply> => {
      if (!isTrustedSender(event, wiring.getWindow(), wiring.location)) {
        console.warn(`[ipc] refused ${name} from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
        return Promise.resolve({
          ok: false,
          error: { code: 'bad_request', message: `${name} refused: it did not come from the workbench window` },
        });
      }
      return answer(wiring.engine, name, args, wiring.getWindow());
    });
  }
  const stopEvents = wiring.engine.onEvent((event, payload) => {
    const win = wiring.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel, event, payload);
  });
  return () => {
    stopEvents();
    for (const name of requestNames) ipcMain.removeHandler(invokeChannel(name));
  };
}
