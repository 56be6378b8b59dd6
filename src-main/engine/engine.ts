import { join } from 'node:path';
import { ApiError, parseArgs, parseJobParams, type EventName, type Events, type JobParams, type RequestName, type RequestResult } from '../api/contract';
import type { AppInfo, ImageDetail, JobFinished, JobKind, ProjectInfo, StartedJob } from '../api/types';
import { getCategory } from '../store/categories';
import { getImage } from '../store/images';
import { projectInfo } from '../store/summary';
import { appHandlers } from './app/handlers';
import { RecentProjects } from './app/recent';
import { clusterHandlers } from './clusters/handlers';
import { conceptHandlers } from './concepts/handlers';
import type { EngineContext, Handlers } from './context';
import { datasetHandlers } from './dataset/handlers';
import type { EngineEndpoint, ResolvedImage } from './endpoint';
import { exportHandlers } from './export/handlers';
import { valueHandlers } from './value/handlers';
import { openInFileManager, type FolderOpener } from './export/open-folder';
import { resolveImageRef } from './image-route';
import { DEMO_SCORER } from './project/demo-recipe';
import { jobHandlers } from './jobs/handlers';
import { jobKinds } from './jobs/kinds';
import { JobRunner } from './jobs/runner';
import { masksHandlers } from './masks/handlers';
import { packHandlers } from './packs/handlers';
import { projectHandlers } from './project/handlers';
import { regionHandlers } from './regions/handlers';
import { samplesHandlers } from './samples/handlers';
import { scoreHandlers } from './score/handlers';
import { ProjectSession, type OpenOptions } from './session';
import { synthHandlers } from './synth/handlers';
import { systemHandlers } from './system/handlers';

export { ENGINE_VERSION } from './app/handlers';

export interface EngineOptions {
  host: AppInfo['host'];
  /** App-level data: recent projects, the demo project. Never project data. */
  userDataDir: string;
  /** How "Open folder" opens one (default: the system's file manager). */
  openFolder?: FolderOpener;
  /** The scorer settings of the demo's full run (default: DEMO_SCORER); tests make it cheaper. */
  demoScorer?: Partial<typeof DEMO_SCORER>;
}

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * The engine: owns the open project and its job queue, implements every request of the
 * contract (one folder per request namespace, each with its handlers and its job). Fronts hand
 * it untrusted arguments; it validates them before anything else.
 */
export class Engine implements EngineEndpoint, EngineContext {
  private current: ProjectSession | null = null;
  private jobs: JobRunner | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly recent: RecentProjects;
  private readonly handlers: Handlers;

  constructor(private readonly opts: EngineOptions) {
    this.recent = new RecentProjects(opts.userDataDir);
    const userData = opts.userDataDir;
    this.handlers = {
      ...appHandlers(this, { host: opts.host, recent: this.recent, demoDir: this.demoDir }),
      ...projectHandlers(this, this.demoDir, this, { ...DEMO_SCORER, ...opts.demoScorer }),
      ...datasetHandlers(this),
      ...clusterHandlers(this, userData),
      ...regionHandlers(this, userData),
      ...masksHandlers(this),
      ...synthHandlers(this, userData),
      ...samplesHandlers(this),
      ...scoreHandlers(this, userData),
      ...exportHandlers(this, opts.openFolder ?? openInFileManager),
      ...valueHandlers(this),
      ...jobHandlers(this),
      ...packHandlers(this, userData),
      ...systemHandlers(userData),
      ...conceptHandlers(this, userData),
    } satisfies Handlers;
  }

  get demoDir(): string {
    return join(this.opts.userDataDir, 'demo');
  }

  async invoke(name: RequestName, args: unknown): Promise<unknown> {
    const handler = this.handlers[name] as ((a: unknown) => unknown) | undefined;
    if (!handler) throw new ApiError('bad_request', `unknown request ${String(name)}`);
    return handler(parseArgs(name, args));
  }

  /** Typed in-process call for the CLI and tests (still validated). */
  call<K extends RequestName>(name: K, args: unknown): Promise<RequestResult<K>> {
    return this.invoke(name, args) as Promise<RequestResult<K>>;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async resolveImage(refPath: string): Promise<ResolvedImage | null> {
    return this.current ? resolveImageRef(this.current, refPath) : null;
  }

  /** Resolves when the given job ends (`jobs.wait`; a test's shorthand). */
  waitForJob(jobId: number): Promise<JobFinished> {
    return this.call('jobs.wait', { jobId });
  }

  async close(): Promise<void> {
    this.closeProject();
  }

  // EngineContext: what the per-domain handlers use.

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken listener (a closed socket) must not break the engine.
      }
    }
  }

  session(): ProjectSession {
    if (!this.current) throw new ApiError('no_project', 'no project is open');
    return this.current;
  }

  hasProject(): boolean {
    return this.current !== null;
  }

  runner(): JobRunner {
    this.session();
    return this.jobs as JobRunner;
  }

  info(): ProjectInfo {
    const s = this.session();
    return projectInfo(s.db, s.dir);
  }

  image(id: number): ImageDetail {
    const s = this.session();
    const img = getImage(s.db, id);
    if (!img) throw new ApiError('not_found', `no image ${id}`);
    return { ...img, masks: img.masks.map(({ blob, ...m }) => ({ ...m, file: s.blobs.path(blob) })) };
  }

  category(id: number): number {
    if (!getCategory(this.session().db, id)) throw new ApiError('not_found', `no category ${id}`);
    return id;
  }

  startJob<K extends JobKind>(kind: K, params: JobParams<K>): StartedJob {
    if (this.session().readOnly) throw new ApiError('conflict', 'the project is open read-only: open it for writing to run jobs');
    const parsed = parseJobParams(kind, params);
    return { jobId: this.runner().start(kind, parsed, jobKinds[kind](this.session(), parsed)) };
  }

  async openProject(dir: string, opts: OpenOptions): Promise<ProjectInfo> {
    const next = await ProjectSession.open(dir, opts);
    this.closeProject();
    this.current = next;
    this.jobs = new JobRunner(
      next.db,
      (p) => this.emit('job.progress', p),
      (f) => {
        this.emit('job.finished', f);
        if (this.current === next) this.emit('project.changed', projectInfo(next.db, next.dir));
      },
    );
    const info = projectInfo(next.db, next.dir);
    this.recent.touch(info.dir, info.name);
    this.emit('project.changed', info);
    return info;
  }

  closeProject(): boolean {
    if (!this.current) return false;
    this.jobs?.cancelAll();
    this.current.close();
    this.current = null;
    this.jobs = null;
    this.emit('project.changed', null);
    return true;
  }
}
