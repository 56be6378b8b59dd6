/**
 * The renderer's one door to the engine. Under Electron the preload exposes `window.gaa`;
 * in a browser the same contract is spoken over the web host's HTTP + WebSocket protocol.
 * Only types come from the contract: its zod schemas are the engine's business, not the UI's.
 */
import { fromBridgeError } from '../../src-main/api/errors';
import { imageRefPath } from '../../src-main/api/image-ref';
import type {
  ApiErrorCode,
  EventName,
  Events,
  GaaApi,
  ImageRef,
  RequestArgs,
  RequestName,
  RequestResult,
} from '../../src-main/api/contract';

/** An engine error as the UI sees it: the contract's code plus the user-facing message. */
export class RequestError extends Error {
  constructor(
    readonly code: ApiErrorCode | 'http' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}


const TOKEN_KEY = 'gaa.token';

/**
 * The per-launch token arrives once in the URL; it is moved to sessionStorage and taken out
 * of the address bar so it does not end up in history, bookmarks or screenshots.
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

type Listener = (payload: unknown) => void;

function webApi(): GaaApi {
  const token = takeToken();
  const listeners = new Map<EventName, Set<Listener>>();
  let retryMs = 250;

  function connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      retryMs = 250;
    };
    ws.onmessage = (msg) => {
      let parsed: { event?: unknown; payload?: unknown };
      try {
        parsed = JSON.parse(String(msg.data));
      } catch {
        return;
      }
      const set = listeners.get(parsed.event as EventName);
      if (set) for (const l of [...set]) l(parsed.payload);
    };
    ws.onclose = () => {
      // Backoff caps at 5 s: the host may be restarting, and a dead tab must not spin.
      const wait = retryMs;
      retryMs = Math.min(retryMs * 2, 5000);
      window.setTimeout(connect, wait);
    };
  }
  connect();

  return {
    async invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
      let res: Response;
      try {
        res = await fetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gaa-token': token },
          body: JSON.stringify(args ?? {}),
        });
      } catch (err) {
        throw new RequestError('network', `${name}: the workbench host is not reachable (${String(err)})`);
      }
      let body: { ok?: boolean; result?: unknown; error?: { code?: string; message?: string } } | null = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      if (res.ok && body?.ok) return body.result as RequestResult<K>;
      if (res.status === 401 || res.status === 403) {
        throw new RequestError(
          'http',
          'The workbench host did not accept this page: open the URL it printed at start (it carries a per-launch token).',
        );
      }
      if (body?.error) {
        throw new RequestError((body.error.code ?? 'internal') as ApiErrorCode, body.error.message ?? `${name} failed`);
      }
      throw new RequestError('http', `${name}: HTTP ${res.status}`);
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    imageUrl(ref: ImageRef): string {
      return `/img/${imageRefPath(ref)}?token=${encodeURIComponent(token)}`;
    },
  };
}

/**
 * Electron's preload, with its errors made RequestErrors again: the contextBridge hands the page
 * an Error with its message only, so the preload carries the code in the message.
 */
function bridgedApi(bridge: GaaApi): GaaApi {
  return {
    invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
      return bridge.invoke(name, args).catch((err: unknown) => {
        const e = fromBridgeError(err);
        throw new RequestError(e.code, e.message);
      });
    },
    on: (event, listener) => bridge.on(event, listener),
    imageUrl: (ref) => bridge.imageUrl(ref),
  };
}

export const api: GaaApi = window.gaa ? bridgedApi(window.gaa) : webApi();

// Kept apart from the transport so pure modules (paged lists, stores) load without a window.
export { errorMessage } from './errors';
