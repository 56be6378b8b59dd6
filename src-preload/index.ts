/**
 * The bridge: the only code with raw `ipcRenderer`, exposing `window.gaa` (GaaApi) to the
 * sandboxed renderer. Channels come from the contract's name lists (api/channels.ts, no zod: the
 * schemas are the engine's business); nothing else can be reached.
 *
 * Electron's contextBridge copies only `message` of an Error into the page, so a failed request
 * rejects with its code carried in the message (`gaa:no_project: …`, api/errors.ts), which the
 * renderer's api.ts decodes back into a code and the message.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, requestNames } from '../src-main/api/channels';
import { bridgeErrorMessage } from '../src-main/api/errors';
import { imageRefPath } from '../src-main/api/image-ref';
import type { ApiErrorCode, EventName, Events, GaaApi, ImageRef, RequestName, WireError } from '../src-main/api/contract';
import { eventChannel, imageHost, imageScheme, invokeChannel, type InvokeReply } from '../src-main/electron/channels';

const knownRequests = new Set<string>(requestNames);
const knownEvents = new Set<string>(eventNames);

/** An error that keeps its code across the contextBridge: in the message, where the page can read it. */
function apiError(code: ApiErrorCode, message: string): Error & { code: ApiErrorCode } {
  const err = new Error(bridgeErrorMessage({ code, message })) as Error & { code: ApiErrorCode };
  err.name = 'ApiError';
  err.code = code;
  return err;
}

function isWireError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && typeof (v as WireError).code === 'string' && typeof (v as WireError).message === 'string';
}

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(eventChannel, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !knownEvents.has(name)) return;
  for (const listener of [...(listeners.get(name as EventName) ?? [])]) {
    try {
      listener(payload);
    } catch (err) {
      console.error(`gaa: ${name} listener failed`, err);
    }
  }
});

export const api: GaaApi = {
  async invoke(name, args) {
    if (!knownRequests.has(name)) throw apiError('bad_request', `unknown request: ${String(name)}`);
    const reply = (await ipcRenderer.invoke(invokeChannel(name as RequestName), args)) as InvokeReply;
    if (reply && reply.ok === true) return reply.result as never;
    const error = reply && isWireError(reply.error) ? reply.error : { code: 'internal' as const, message: `${name}: malformed reply` };
    throw apiError(error.code, error.message);
  },

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!knownEvents.has(event)) throw apiError('bad_request', `unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw apiError('bad_request', `${event}: listener must be a function`);
    // Each subscription gets its own wrapper, so subscribing the same function twice unsubscribes independently.
    const entry: Listener = (payload) => listener(payload as Events[E]);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },

  imageUrl(ref: ImageRef): string {
    return `${imageScheme}://${imageHost}/${imageRefPath(ref)}`;
  },
};

contextBridge.exposeInMainWorld('gaa', api);
