import type { EventName, Events, JobParams, ParsedArgs, RequestName, RequestResult } from '../api/contract';
import type { ImageDetail, JobKind, ProjectInfo, StartedJob } from '../api/types';
import type { JobRunner } from './jobs/runner';
import type { OpenOptions, ProjectSession } from './session';

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
  /** Starts a job with its parameters (checked against the contract's schema and stored, so it can resume). */
  startJob<K extends JobKind>(kind: K, params: JobParams<K>): StartedJob;
  /** Whether a project is open (the requests that work without one ask). */
  hasProject(): boolean;
  /** Opens (or with `create`, creates) the project in `dir`, closing the one open before. */
  openProject(dir: string, opts: OpenOptions): Promise<ProjectInfo>;
  /** Closes the open project after cancelling its jobs; false when none was open. */
  closeProject(): boolean;
}

/** Handlers for a subset of the contract's requests. */
export type HandlerMap<K extends RequestName> = {
  [P in K]: (args: ParsedArgs<P>) => Promise<RequestResult<P>> | RequestResult<P>;
};

/** The contract's requests of one namespace: `RequestsIn<'clusters'>` is 'clusters.run' | 'clusters.get' | …. */
export type RequestsIn<Namespace extends string> = Extract<RequestName, `${Namespace}.${string}`>;

/** Every request of one namespace, each with its handler: what each domain folder's handlers.ts returns. */
export type NamespaceHandlers<Namespace extends string> = HandlerMap<RequestsIn<Namespace>>;

export type Handlers = HandlerMap<RequestName>;
