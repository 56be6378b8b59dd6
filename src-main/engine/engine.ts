import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  ApiError,
  parseArgs,
  parseImageRefPath,
  type EventName,
  type Events,
  type ParsedArgs,
  type RequestName,
  type RequestResult,
} from '../api/contract';
import type { AppInfo, ImageDetail, JobFinished, JobKind, ProjectInfo, RegionState } from '../api/types';
import { generateDemoDataset } from '../core/demo';
import { getCategory, setSplitSeed } from '../store/categories';
import { listItemErrors } from '../store/errors';
import { getImage, imageFiles, listImages, maskBlob, setImageSplit } from '../store/images';
import { getJob, getJobResult, listJobs } from '../store/jobs';
import { projectInfo } from '../store/summary';
import type { EngineEndpoint, ResolvedImage } from './endpoint';
import { ClusterEdits } from './cluster-edits';
import { clusterJob, type ClusterParams } from './cluster-job';
import { importJob, redrawFewShotSplit, type ImportParams } from './import-job';
import { JobRunner, type JobBody } from './jobs';
import { listAlignedMasks, masksJob, type MasksParams } from './masks-job';
import { importRegionFolder, propagateJob, type PropagateParams } from './regions';
import { labelledImageIds, listRegions, propagationRows, regionMasksOfImage, setPropagationStatus, upsertRegion } from '../store/regions';
import { RecentProjects } from './recent';
import { ProjectSession } from './session';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  host: AppInfo['host'];
  /** App-level data: recent projects, the demo project. Never project data. */
  userDataDir: string;
}

type Handlers = { [K in RequestName]: (args: ParsedArgs<K>) => Promise<RequestResult<K>> | RequestResult<K> };
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
 * contract. Fronts hand it untrusted arguments; it validates them before anything else.
 */
export class Engine implements EngineEndpoint {
  private session: ProjectSession | null = null;
  private runner: JobRunner | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly recent: RecentProjects;

  constructor(private readonly opts: EngineOptions) {
    this.recent = new RecentProjects(opts.userDataDir);
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
    const s = this.session;
    if (!ref || !s) return null;
    if (ref.kind === 'mask' || ref.kind === 'regionMask' || ref.kind === 'alignedMask') {
      const blob =
        ref.kind === 'mask'
          ? maskBlob(s.db, ref.maskId)
          : (s.db.prepare(`SELECT blob FROM ${ref.kind === 'regionMask' ? 'region_masks' : 'aligned_masks'} WHERE id = ?`).get(ref.id) as { blob: string } | undefined)?.blob;
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
    return this.requireRunner().wait(jobId);
  }

  async close(): Promise<void> {
    this.closeProject();
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken listener (a closed socket) must not break the engine.
      }
    }
  }

  private requireSession(): ProjectSession {
    if (!this.session) throw new ApiError('no_project', 'no project is open');
    return this.session;
  }

  private requireRunner(): JobRunner {
    this.requireSession();
    return this.runner as JobRunner;
  }

  private info(): ProjectInfo {
    const s = this.requireSession();
    return projectInfo(s.db, s.dir);
  }

  private openProject(dir: string, create: boolean, name?: string): ProjectInfo {
    const next = ProjectSession.open(dir, { create, name });
    this.closeProject();
    this.session = next;
    this.runner = new JobRunner(
      next.db,
      (p) => this.emit('job.progress', p),
      (f) => {
        this.emit('job.finished', f);
        if (this.session === next) this.emit('project.changed', projectInfo(next.db, next.dir));
      },
    );
    const info = projectInfo(next.db, next.dir);
    this.recent.touch(info.dir, info.name);
    this.emit('project.changed', info);
    return info;
  }

  private closeProject(): boolean {
    if (!this.session) return false;
    this.runner?.cancelAll();
    this.session.close();
    this.session = null;
    this.runner = null;
    this.emit('project.changed', null);
    return true;
  }

  private startImport(params: ImportParams): { jobId: number } {
    const s = this.requireSession();
    const source = resolve(params.source);
    if (!existsSync(source)) throw new ApiError('not_found', `dataset folder not found: ${source}`);
    if (!statSync(source).isDirectory()) throw new ApiError('bad_request', `${source} is a file; choose the dataset folder`);
    const runner = this.requireRunner();
    return { jobId: runner.start('import', { ...params }, importJob(s, params)) };
  }

  private readonly handlers: Handlers = {
    'app.info': () => ({
      version: ENGINE_VERSION,
      host: this.opts.host,
      project: this.session ? this.info() : null,
      recentProjects: this.recent.list(),
      demoDir: this.demoDir,
    }),
    'project.create': (a) => this.openProject(a.dir, true, a.name),
    'project.open': (a) => this.openProject(a.dir, false),
    'project.openDemo': async () => {
      const summary = await generateDemoDataset(join(this.demoDir, 'dataset'));
      const info = this.openProject(join(this.demoDir, 'project'), true, 'GAA demo');
      const hasImport = listJobs(this.requireSession().db).some((j) => j.kind === 'import');
      if (!hasImport) this.startImport({ source: summary.root, layout: 'mvtec' });
      return info;
    },
    'project.close': () => ({ closed: this.closeProject() }),
    'project.info': () => this.info(),
    'dataset.import': (a) => this.startImport({ source: a.source, layout: a.layout }),
    'dataset.listImages': (a) => {
      const s = this.requireSession();
      const { offset, limit, ...filter } = a as ParsedArgs<'dataset.listImages'> & { offset: number; limit: number };
      return { offset, ...listImages(s.db, filter, offset, limit) };
    },
    'dataset.image': (a) => this.image(a.imageId),
    'dataset.errors': (a) => ({ offset: a.offset, ...listItemErrors(this.requireSession().db, a.offset, a.limit) }),
    'dataset.setFewShot': (a) => {
      const s = this.requireSession();
      const img = this.image(a.imageId);
      if (img.kind !== 'anomaly') throw new ApiError('bad_request', `image ${a.imageId} is a normal image; only anomalies have a few-shot split`);
      if (img.hasError) throw new ApiError('bad_request', `image ${a.imageId} (${img.relPath}) has errors and cannot be learned from`);
      setImageSplit(s.db, a.imageId, a.fewShot ? 'fewshot' : 'heldout', true);
      this.emit('project.changed', this.info());
      return this.image(a.imageId);
    },
    'dataset.resplit': (a) => {
      const s = this.requireSession();
      if (!getCategory(s.db, a.categoryId)) throw new ApiError('not_found', `no category ${a.categoryId}`);
      s.db.transaction(() => {
        setSplitSeed(s.db, a.categoryId, a.seed);
        // A redraw is explicit: hand-moved images join the draw again.
        s.db.prepare("UPDATE images SET split_manual = 0 WHERE category_id = ? AND kind = 'anomaly'").run(a.categoryId);
        redrawFewShotSplit(s.db, a.categoryId);
      })();
      const info = this.info();
      this.emit('project.changed', info);
      return info;
    },
    'clusters.run': (a) => {
      const s = this.requireSession();
      if (!getCategory(s.db, a.categoryId)) throw new ApiError('not_found', `no category ${a.categoryId}`);
      const params: ClusterParams = {
        categoryId: a.categoryId,
        perType: a.perType,
        rounds: a.rounds,
        seed: a.seed,
        minMeanClusterSize: a.minMeanClusterSize,
        weights: a.weights,
      };
      return { jobId: this.requireRunner().start('cluster', { ...params }, clusterJob(s, params)) };
    },
    'clusters.get': (a) => this.edits().state(this.category(a.categoryId)),
    'clusters.rename': (a) => this.edits().rename(a.clusterId, a.name),
    'clusters.merge': (a) => this.edits().merge(a.clusterIds, a.name),
    'clusters.split': (a) => this.edits().split(a.clusterId, a.k),
    'clusters.move': (a) => this.edits().move(a.imageIds, a.toClusterId),
    'clusters.setLock': (a) => this.edits().setLock(a.clusterId, a.locked),
    'clusters.setRule': (a) => this.edits().setRule(a.clusterId, a.kind, a.rule),
    'clusters.undo': (a) => this.edits().undo(this.category(a.categoryId)),
    'clusters.redo': (a) => this.edits().redo(this.category(a.categoryId)),
    'regions.get': (a) => this.regionState(this.category(a.categoryId)),
    'regions.create': (a) => {
      const s = this.requireSession();
      upsertRegion(s.db, this.category(a.categoryId), a.name, a.colour);
      return this.regionState(a.categoryId);
    },
    'regions.ofImage': (a) => {
      const s = this.requireSession();
      this.image(a.imageId);
      const colours = new Map(
        (s.db.prepare('SELECT r.id, r.colour FROM regions r JOIN images i ON i.category_id = r.category_id WHERE i.id = ?').all(a.imageId) as { id: number; colour: string }[]).map((r) => [r.id, r.colour]),
      );
      return {
        imageId: a.imageId,
        regions: regionMasksOfImage(s.db, a.imageId).map((r) => ({
          regionId: r.region_id,
          region: r.region,
          colour: colours.get(r.region_id) ?? '#999999',
          maskId: r.id,
          source: r.source,
          area: r.area,
          confidence: r.confidence,
          status: r.status,
          vectors: r.vectors ? (JSON.parse(r.vectors) as unknown) : null,
        })),
      };
    },
    'regions.importFolder': async (a) => {
      const result = await importRegionFolder(this.requireSession(), this.category(a.categoryId), resolve(a.folder));
      return result;
    },
    'regions.propagate': (a) => {
      const s = this.requireSession();
      const params: PropagateParams = { categoryId: this.category(a.categoryId), seed: a.seed, flagBelow: a.flagBelow };
      return { jobId: this.requireRunner().start('propagate', { ...params }, propagateJob(s, params)) };
    },
    'regions.review': (a) => {
      const s = this.requireSession();
      const img = this.image(a.imageId);
      setPropagationStatus(s.db, a.imageId, a.status);
      return this.regionState(img.categoryId);
    },
    'masks.generate': (a) => {
      const s = this.requireSession();
      const params: MasksParams = { categoryId: this.category(a.categoryId), clusterId: a.clusterId, count: a.count, seed: a.seed };
      return { jobId: this.requireRunner().start('masks', { ...params }, masksJob(s, params)) };
    },
    'masks.list': (a) => {
      const s = this.requireSession();
      const page = listAlignedMasks(s.db, this.category(a.categoryId), a.clusterId, a.offset, a.limit);
      return { offset: a.offset, total: page.total, items: page.items.map(({ blob: _blob, ...rest }) => rest) };
    },
    'jobs.list': () => listJobs(this.requireSession().db),
    'jobs.cancel': (a) => {
      const s = this.requireSession();
      const job = getJob(s.db, a.jobId);
      if (!job) throw new ApiError('not_found', `no job ${a.jobId}`);
      this.requireRunner().cancel(a.jobId);
      return getJob(s.db, a.jobId) ?? job;
    },
    'jobs.resume': (a) => {
      const s = this.requireSession();
      const runner = this.requireRunner();
      const job = getJob(s.db, a.jobId);
      if (!job) throw new ApiError('not_found', `no job ${a.jobId}`);
      if (runner.isActive(a.jobId)) throw new ApiError('conflict', `job ${a.jobId} is already running`);
      if (job.status === 'done') throw new ApiError('conflict', `job ${a.jobId} already finished`);
      runner.resume(a.jobId, this.jobBody(job.kind, job.params));
      return { jobId: a.jobId };
    },
  };

  /** Rebuilds a job's body from its stored kind and parameters (resume after a cancel or a crash). */
  private jobBody(kind: JobKind, params: Record<string, unknown>): JobBody {
    const s = this.requireSession();
    switch (kind) {
      case 'import':
        return importJob(s, params as unknown as ImportParams);
      case 'cluster':
        return clusterJob(s, params as unknown as ClusterParams);
      case 'propagate':
        return propagateJob(s, params as unknown as PropagateParams);
      case 'masks':
        return masksJob(s, params as unknown as MasksParams);
    }
  }

  private regionState(categoryId: number): RegionState {
    const s = this.requireSession();
    const labelled = labelledImageIds(s.db, categoryId).map((imageId) => {
      const img = this.image(imageId);
      return { imageId, relPath: img.relPath, regions: regionMasksOfImage(s.db, imageId).filter((r) => r.source === 'label').map((r) => r.region) };
    });
    return {
      categoryId,
      regions: listRegions(s.db, categoryId).map((r) => ({ id: r.id, name: r.name, colour: r.colour })),
      labelled,
      propagated: propagationRows(s.db, categoryId),
    };
  }

  private edits(): ClusterEdits {
    return new ClusterEdits(this.requireSession().db);
  }

  private category(id: number): number {
    if (!getCategory(this.requireSession().db, id)) throw new ApiError('not_found', `no category ${id}`);
    return id;
  }

  private image(id: number): ImageDetail {
    const img = getImage(this.requireSession().db, id);
    if (!img) throw new ApiError('not_found', `no image ${id}`);
    return img;
  }

  /** The stored binarised mask file of a mask record (for the CLI's reports). */
  maskFile(maskId: number): string | null {
    const s = this.requireSession();
    const blob = maskBlob(s.db, maskId);
    return blob ? s.blobs.path(blob) : null;
  }

  /** The stored result of a finished job (import counts and errors), for the CLI. */
  jobResult(jobId: number): unknown {
    return getJobResult(this.requireSession().db, jobId);
  }
}
