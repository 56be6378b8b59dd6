import type { EventName, Events, RequestName } from '../api/contract';

/** A file the image route may stream: always one registered in the open project. */
export interface ResolvedImage {
  filePath: string;
  mime: string;
}

/**
 * What every front (Electron main, web host, CLI) holds: the engine in-process, or a proxy
 * to the engine's own process. `invoke` takes untrusted arguments and validates them.
 */
export interface EngineEndpoint {
  invoke(name: RequestName, args: unknown): Promise<unknown>;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  /** `refPath` is the path part after the scheme/route (`image/12`, `thumb/12`, `mask/7`). */
  resolveImage(refPath: string): Promise<ResolvedImage | null>;
  close(): Promise<void>;
}
