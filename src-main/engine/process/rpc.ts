/**
 * The message protocol between Electron main and the engine's utility process.
 *
 * Main sends `invoke`, `image` and `close`; the engine answers each with a message that
 * carries the same id, and pushes `event`s on its own. Everything is structured-clone
 * plain data, so the same code runs over Electron's parentPort / UtilityProcess and over
 * node's worker_threads MessagePort in tests.
 */
import { ApiError, isEventName, isRequestName, toWireError } from '../../api/contract';
import type { EventName, Events, RequestName, WireError } from '../../api/contract';
import type { EngineEndpoint, ResolvedImage } from '../endpoint';

/** Main → engine, first and once: what the engine needs before it can serve anything. */
export interface EngineInitMessage {
  type: 'init';
  userDataDir: string;
}

export function isEngineInitMessage(v: unknown): v is EngineInitMessage {
  return isRecord(v) && v.type === 'init' && typeof v.userDataDir === 'string' && v.userDataDir.length > 0;
}

/** Main → engine. */
export type ToEngineMessage =
  | { type: 'invoke'; id: number; name: RequestName; args: unknown }
  | { type: 'image'; id: number; refPath: string }
  | { type: 'close' };

/** Engine → main. `closed` is the answer to `close`, sent once the engine has released the project. */
export type FromEngineMessage =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError }
  | { type: 'image-result'; id: number; resolved: ResolvedImage | null; error?: WireError }
  | { type: 'event'; event: EventName; payload: Events[EventName] }
  | { type: 'closed' };

/**
 * The smallest port both ends need. Listeners receive the message itself (node's MessagePort
 * and Electron's UtilityProcess do this; Electron's parentPort wraps it in `{ data }` and is
 * adapted in process.ts).
 */
export interface RpcPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off?(event: 'message', listener: (message: unknown) => void): unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Posts a reply; a result that cannot be cloned becomes an internal error instead of a lost answer. */
function postReply(port: RpcPort, reply: FromEngineMessage): void {
  try {
    port.postMessage(reply);
  } catch (err) {
    if (reply.type !== 'result' && reply.type !== 'image-result') throw err;
    const error: WireError = { code: 'internal', message: `engine reply could not be sent: ${toWireError(err).message}` };
    port.postMessage(
      reply.type === 'result'
        ? { type: 'result', id: reply.id, ok: false, error }
        : { type: 'image-result', id: reply.id, resolved: null, error },
    );
  }
}

/** Runs `fn` so that a synchronous throw becomes a rejection like any other. */
function attempt<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

export interface ServeOptions {
  /** Called after the engine has closed in answer to a `close` message (the process exits here). */
  onClosed?: () => void;
}

/** Engine side: answers requests arriving on `port` with `engine`, and pushes its events. Returns a stop function. */
export function serveEngine(engine: EngineEndpoint, port: RpcPort, opts: ServeOptions = {}): () => void {
  let closing = false;
  const stopEvents = engine.onEvent((event, payload) => {
    // A payload that cannot be cloned is the engine's bug; it must not break the job that emitted it.
    try {
      port.postMessage({ type: 'event', event, payload } satisfies FromEngineMessage);
    } catch (err) {
      console.error(`[engine] ${event} could not be sent:`, err);
    }
  });

  const onMessage = (raw: unknown): void => {
    if (!isRecord(raw) || closing) return;
    if (raw.type === 'invoke' && isId(raw.id)) {
      const id = raw.id;
      const name = raw.name;
      const args = raw.args;
      attempt(() => {
        if (!isRequestName(name)) throw new ApiError('bad_request', `unknown request: ${String(name)}`);
        return engine.invoke(name, args);
      }).then(
        (result) => postReply(port, { type: 'result', id, ok: true, result }),
        (err: unknown) => postReply(port, { type: 'result', id, ok: false, error: toWireError(err) }),
      );
    } else if (raw.type === 'image' && isId(raw.id) && typeof raw.refPath === 'string') {
      const id = raw.id;
      const refPath = raw.refPath;
      attempt(() => engine.resolveImage(refPath)).then(
        (resolved) => postReply(port, { type: 'image-result', id, resolved }),
        (err: unknown) => postReply(port, { type: 'image-result', id, resolved: null, error: toWireError(err) }),
      );
    } else if (raw.type === 'close') {
      closing = true;
      stopEvents();
      engine
        .close()
        .catch((err: unknown) => console.error('[engine] close failed:', err))
        .finally(() => {
          port.postMessage({ type: 'closed' } satisfies FromEngineMessage);
          opts.onClosed?.();
        });
    }
  };
  port.on('message', onMessage);
  return () => {
    stopEvents();
    port.off?.('message', onMessage);
  };
}

type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  what: string;
}

/**
 * Main side: the engine in its own process, seen as an EngineEndpoint. The owner calls
 * `disconnect` when the process exits; every unanswered request is then rejected with the reason.
 */
export class EngineProcessClient implements EngineEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventListener>();
  private gone: string | null = null;
  private closeWaiters: (() => void)[] = [];

  constructor(private readonly port: RpcPort) {
    port.on('message', (raw) => this.receive(raw));
  }

  get connected(): boolean {
    return this.gone === null;
  }

  invoke(name: RequestName, args: unknown): Promise<unknown> {
    return this.request(`request ${name}`, (id) => ({ type: 'invoke', id, name, args }));
  }

  resolveImage(refPath: string): Promise<ResolvedImage | null> {
    return this.request(`image ${refPath}`, (id) => ({ type: 'image', id, refPath })) as Promise<ResolvedImage | null>;
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the engine to close its project; resolves when it has, or when the process is gone. */
  close(): Promise<void> {
    if (this.gone !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.closeWaiters.push(resolve);
      if (this.closeWaiters.length === 1) this.port.postMessage({ type: 'close' } satisfies ToEngineMessage);
    });
  }

  /** The process has exited (or cannot be reached): fail everything still waiting, refuse what comes next. */
  disconnect(reason: string): void {
    if (this.gone !== null) return;
    this.gone = reason;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new ApiError('internal', `${p.what} got no answer: ${reason}`));
    }
    this.finishClose();
  }

  private request(what: string, build: (id: number) => ToEngineMessage): Promise<unknown> {
    if (this.gone !== null) return Promise.reject(new ApiError('internal', `${what} refused: ${this.gone}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, what });
      try {
        this.port.postMessage(build(id));
      } catch (err) {
        this.pending.delete(id);
        reject(new ApiError('bad_request', `${what} could not be sent: ${toWireError(err).message}`));
      }
    });
  }

  private settle(id: unknown): Pending | undefined {
    if (!isId(id)) return undefined;
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private receive(raw: unknown): void {
    if (!isRecord(raw)) return;
    if (raw.type === 'result') {
      const p = this.settle(raw.id);
      if (!p) return;
      if (raw.ok === true) p.resolve(raw.result);
      else p.reject(wireToError(raw.error));
    } else if (raw.type === 'image-result') {
      const p = this.settle(raw.id);
      if (!p) return;
      if (raw.error !== undefined) p.reject(wireToError(raw.error));
      else p.resolve(isResolvedImage(raw.resolved) ? raw.resolved : null);
    } else if (raw.type === 'event' && isEventName(raw.event)) {
      const event = raw.event;
      for (const l of [...this.listeners]) {
        try {
          l(event, raw.payload as Events[typeof event]);
        } catch (err) {
          console.error(`[engine] ${event} listener failed:`, err);
        }
      }
    } else if (raw.type === 'closed') {
      this.finishClose();
    }
  }

  private finishClose(): void {
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of waiters) w();
  }
}

function isResolvedImage(v: unknown): v is ResolvedImage {
  return isRecord(v) && typeof v.filePath === 'string' && typeof v.mime === 'string';
}

function wireToError(raw: unknown): ApiError {
  const wire = toWireError(raw);
  return new ApiError(wire.code, wire.message);
}
