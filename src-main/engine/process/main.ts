/**
 * Entry of the engine's utility process (built to out/main/engine.js). Native libraries
 * (libvips, ONNX Runtime, SQLite) run here, so their crash ends this process and not the
 * window; Electron main notices the exit and starts a new one.
 */
import type { MessageEvent, ParentPort } from 'electron';
import { Engine } from '../engine';
import type { EngineEndpoint } from '../endpoint';
import { isEngineInitMessage, serveEngine, type RpcPort } from './rpc';

/** Electron's parentPort wraps every message in `{ data }`; the protocol wants the message itself. */
export function parentPortAdapter(parentPort: ParentPort): RpcPort {
  const wrapped = new Map<(message: unknown) => void, (e: MessageEvent) => void>();
  return {
    postMessage: (message) => parentPort.postMessage(message),
    on(_event, listener) {
      const unwrap = (e: MessageEvent): void => listener(e.data);
      wrapped.set(listener, unwrap);
      parentPort.on('message', unwrap);
    },
    off(_event, listener) {
      const unwrap = wrapped.get(listener);
      if (unwrap) parentPort.off('message', unwrap);
      wrapped.delete(listener);
    },
  };
}

/**
 * Waits for the init message, then serves one engine until main asks it to close.
 * Messages that arrive before init are refused, since nothing can answer them yet.
 */
export function runEngineProcess(
  port: RpcPort,
  makeEngine: (userDataDir: string) => EngineEndpoint,
  exit: (code: number) => void,
): void {
  const onInit = (message: unknown): void => {
    if (!isEngineInitMessage(message)) {
      console.error('[engine] ignored a message that arrived before init');
      return;
    }
    port.off?.('message', onInit);
    let engine: EngineEndpoint;
    try {
      engine = makeEngine(message.userDataDir);
    } catch (err) {
      console.error('[engine] could not start:', err);
      exit(1);
      return;
    }
    serveEngine(engine, port, { onClosed: () => exit(0) });
  };
  port.on('message', onInit);
}

if (process.parentPort) {
  runEngineProcess(
    parentPortAdapter(process.parentPort),
    (userDataDir) => new Engine({ host: 'electron', userDataDir }),
    (code) => process.exit(code),
  );
}
