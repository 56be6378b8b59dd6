import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ApiError, parseArgs, parseImageRefPath, type EventName, type Events, type RequestName, type RequestResult } from '../api/contract';
import type { AppInfo, ImageDetail, JobFinished, JobKind, ProjectInfo, StartedJob } from '../api/types';
import { generateDemoDataset } from '../core/demo';
import { getCategory } from '../store/categories';
import { blobOfRef } from '../store/image-refs';
import { getImage, imageFiles, maskBlob } from '../store/images';
import { getJobResult, listJobs } from '../store/jobs';
import { projectInfo } from '../store/summary';
import type { EngineContext, Handlers } from './context';
import type { EngineEndpoint, ResolvedImage } from './endpoint';
import { clusterHandlers } from './handlers/clusters';
import { datasetHandlers } from './handlers/dataset';
import { jobHandlers } from './handlers/jobs';
import { projectHandlers, startImport } from './handlers/project';
import { regionHandlers } from './handlers/regions';
import { sampleHandlers } from './handlers/samples';
import { packHandlers } from './handlers/packs';
import { systemHandlers } from './handlers/system';
import { conceptHandlers } from './handlers/concepts';
import { jobKinds } from './job-kinds';
import { JobRunner } from './jobs';
import { RecentProjects } from './recent';
import { ProjectSession } from './session';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  host: AppInfo['host'];
  /** App-level data: recent projects, the demo project. Never project data. */
  userDataDir: string;
}

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/**
 * The engine: owns the open project and its job queue, implements every request of the
 * contract (handlers live per domain under handlers/). Fronts hand it untrusted arguments; it
 * validates them before anything else.
 */
export class Engine implements EngineEndpoint, EngineContext {
  private current: ProjectSession | null = null;
  private jobs: JobRunner | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly recent: RecentProjects;
  private readonly handlers: Handlers;

  constructor(private readonly opts: EngineOptions) {
    this.recent = new RecentProjects(opts.userDataDir);
    const app = {
      'app.info': () => ({
        version: ENGINE_VERSION,
        host: this.opts.host,
        project: this.current ? this.info() : null,
        recentProjects: this.recent.list(),
        demoDir: this.demoDir,
      }),
      'project.create': (a: { dir: string; name?: string }) => this.openProject(a.dir, true, a.name),
      'project.open': (a: { dir: string }) => this.openProject(a.dir, false),
      'project.openDemo': async () => {
        const summary = await generateDemoDataset(join(this.demoDir, 'dataset'));
        const info = this.openProject(join(this.demoDir, 'project'), true, 'GAA demo');
        if (!listJobs(this.session().db).some((j) => j.kind === 'import')) startImport(this, { source: summary.root, layout: 'mvtec' });
        return info;
      },
      'project.close': () => ({ closed: this.closeProject() }),
    };
    this.handlers = {
      ...app,
      ...projectHandlers(this),
      ...datasetHandlers(this),
      ...clusterHandlers(this, opts.userDataDir),
      ...regionHandlers(this, opts.userDataDir),
      ...sampleHandlers(this, opts.userDataDir),
      ...jobHandlers(this),
      ...packHandlers(opts.userDataDir),
      ...systemHandlers(opts.userDataDir),
      ...conceptHandlers(this, opts.userDataDir),
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
    const ref = parseImageRefPath(refPath);
    const s = this.current;
    if (!ref || !s) return null;
    if (ref.kind !== 'image' && ref.kind !== 'thumb') {
      const blob = blobOfRef(s.db, ref.kind, ref.kind === 'mask' ? ref.maskId : ref.id);
      return blob ? { filePath: s.blobs.path(blob), mime: 'image/png' } : null;
    }
    const files = imageFiles(s.db, ref.imageId);
    if (!files) return null;
    if (ref.kind === 'thumb') return files.thumbBlob ? { filePath: s.blobs.path(files.thumbBlob), mime: 'image/jpeg' } : null;
    const mime = MIME[extname(files.sourcePath).toLowerCase()];
    return mime && existsSync(files.sourcePath) ? { filePath: files.sourcePath, mime } : null;
  }

  /** Resolves when the given job ends. */
  waitForJob(jobId: number): Promise<JobFinished> {
    return this.runner().wait(jobId);
  }

  /** The stored result of a finished job (import counts and errors), for the CLI. */
  jobResult(jobId: number): unknown {
    return getJobResult(this.session().db, jobId);
  }

  /** The stored binarised mask file of a mask record (for the CLI's reports). */
  maskFile(maskId: number): string | null {
    const s = this.session();
    const blob = maskBlob(s.db, maskId);
    return blob ? s.blobs.path(blob) : null;
  }

  /** The stored aligned mask PNG (for the CLI's reports). */
  alignedMaskFile(id: number): string | null {
    const s = this.session();
    const blob = blobOfRef(s.db, 'alignedMask', id);
    return blob ? s.blobs.path(blob) : null;
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

  runner(): JobRunner {
    this.session();
    return this.jobs as JobRunner;
  }

  info(): ProjectInfo {
    const s = this.session();
    return projectInfo(s.db, s.dir);
  }

  image(id: number): ImageDetail {
    const img = getImage(this.session().db, id);
    if (!img) throw new ApiError('not_found', `no image ${id}`);
    return img;
  }

  category(id: number): number {
    if (!getCategory(this.session().db, id)) throw new ApiError('not_found', `no category ${id}`);
    return id;
  }

  startJob(kind: JobKind, params: object): StartedJob {
    const stored = { ...params } as Record<string, unknown>;
    return { jobId: this.runner().start(kind, stored, jobKinds[kind](this.session(), stored)) };
  }

  private openProject(dir: string, create: boolean, name?: string): ProjectInfo {
    const next = ProjectSession.open(dir, { create, name });
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

  private closeProject(): boolean {
    if (!this.current) return false;
    this.jobs?.cancelAll();
    this.current.close();
    this.current = null;
    this.jobs = null;
    this.emit('project.changed', null);
    return true;
  }
}
