import type { EventName, Events, ParsedArgs, RequestName, RequestResult } from '../api/contract';
import type { ImageDetail, JobKind, ProjectInfo, StartedJob } from '../api/types';
import type { JobRunner } from './jobs';
import type { ProjectSession } from './session';

/** What the request handlers of every domain need from the engine, and nothing more. */
export interface EngineContext {
  session(): ProjectSession;
  runner(): JobRunner;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  info(): ProjectInfo;
  /** The image, or a not_found ApiError. */
  image(id: number): ImageDetail;
  /** The category id, or a not_found ApiError. */
  category(id: number): number;
  /** Starts a job of a registered kind with plain-JSON parameters (stored, so it can resume). */
  startJob(kind: JobKind, params: object): StartedJob;
}

/** Handlers for a subset of the contract's requests. */
export type HandlerMap<K extends RequestName> = {
  [P in K]: (args: ParsedArgs<P>) => Promise<RequestResult<P>> | RequestResult<P>;
};

export type Handlers = HandlerMap<RequestName>;
