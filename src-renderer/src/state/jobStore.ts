/**
 * The renderer's one copy of job state: the engine's job table (`jobs.list`) merged with the
 * progress and finish events it pushes, so every screen (the job bar, a stage's job strip, the
 * export, region, scoring and clustering screens) reads the same job the same way.
 *
 * No React and no transport here: the store is handed a `JobSource`, so its merging rules are
 * tested in Node. `jobs.ts` wires the app's instance to the engine and holds the hooks.
 */
import type { JobFinished, JobInfo, JobKind, JobProgress, JobStatus } from '../../../src-main/api/contract';

export interface JobView {
  jobId: number;
  kind: JobKind;
  status: JobStatus;
  done: number;
  total: number;
  failed: number;
  etaMs: number | null;
  message: string;
  error: string | null;
  /** The job's parameters from the job table; null until the table has been read. */
  params: Record<string, unknown> | null;
  /** What `job.finished` carried (unfinished jobs, or ones that ended before the screen opened: undefined). */
  result: unknown;
}

/** One immutable state of the store: a new object after every change, so React can compare it. */
export interface JobsSnapshot {
  readonly byId: ReadonlyMap<number, JobView>;
  /** Newest first. */
  readonly list: readonly JobView[];
}

export type JobEvent = { type: 'progress'; progress: JobProgress } | { type: 'finished'; finished: JobFinished };

/** What the store reads from: the job table and the two job events. */
export interface JobSource {
  list(): Promise<JobInfo[]>;
  onProgress(listener: (p: JobProgress) => void): () => void;
  onFinished(listener: (f: JobFinished) => void): () => void;
}

type Jobs = ReadonlyMap<number, JobView>;

export function snapshotOf(byId: Jobs): JobsSnapshot {
  return { byId, list: [...byId.values()].sort((a, b) => b.jobId - a.jobId) };
}

export const EMPTY: JobsSnapshot = snapshotOf(new Map());

/** Running or waiting to run: the states a Cancel applies to. */
export function isActive(status: JobStatus | undefined): boolean {
  return status === 'running' || status === 'queued';
}

/** Ended, by finishing, failing, a cancel or the engine stopping under it. */
export function isSettled(status: JobStatus | undefined): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

function fromInfo(j: JobInfo, prev: JobView | undefined): JobView {
  const running = j.status === 'running' && prev?.status === 'running';
  return {
    jobId: j.id,
    kind: j.kind,
    status: j.status,
    done: j.done,
    total: j.total,
    failed: j.failed,
    // The table holds neither; while the job still runs, the last event's are still the news.
    etaMs: running ? prev.etaMs : null,
    message: running ? prev.message : '',
    error: j.error,
    params: j.params,
    result: prev?.result,
  };
}

/** A progress event: the job runs, with these counts. */
export function withProgress(jobs: Jobs, p: JobProgress): Map<number, JobView> {
  const prev = jobs.get(p.jobId);
  return new Map(jobs).set(p.jobId, {
    jobId: p.jobId,
    kind: p.kind,
    status: 'running',
    done: p.done,
    total: p.total,
    failed: p.failed,
    etaMs: p.etaMs,
    message: p.message,
    error: prev?.error ?? null,
    params: prev?.params ?? null,
    result: prev?.result,
  });
}

/** A finish event: the job's end state and what it reported. */
export function withFinished(jobs: Jobs, f: JobFinished): Map<number, JobView> {
  const prev = jobs.get(f.jobId);
  return new Map(jobs).set(f.jobId, {
    ...(prev ?? { jobId: f.jobId, kind: f.kind, done: 0, total: 0, failed: 0, message: '', params: null }),
    status: f.status,
    etaMs: null,
    error: f.error,
    result: f.result,
  });
}

/**
 * The job table as read, over what events said. A job whose events arrived after the read was
 * asked for keeps the events' view (the row can be older than they are), as does a running job
 * whose events counted further than the row; jobs the table does not hold are dropped.
 */
export function withList(jobs: Jobs, list: readonly JobInfo[], newerThanRead: (jobId: number) => boolean = () => false): Map<number, JobView> {
  const next = new Map<number, JobView>();
  for (const j of list) {
    const live = jobs.get(j.id);
    const fresher = live && (newerThanRead(j.id) || (live.status === 'running' && j.status === 'running' && live.done > j.done));
    next.set(j.id, fresher ? { ...live, params: live.params ?? j.params } : fromInfo(j, live));
  }
  for (const [id, live] of jobs) if (!next.has(id) && newerThanRead(id)) next.set(id, live);
  return next;
}

export class JobStore {
  private snapshot: JobsSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: JobEvent) => void>();
  /** Counts events; a read compares it with the count when it was asked for. */
  private seq = 0;
  private readonly lastEvent = new Map<number, number>();
  /** Jobs seen in events before their row: the table was asked once for each. */
  private readonly asked = new Set<number>();
  /** Bumped when the project changes, so a read for the old one is dropped. */
  private epoch = 0;
  private scopeKey: string | null | undefined = undefined;
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly off: (() => void)[];

  constructor(private readonly source: JobSource) {
    this.off = [source.onProgress((p) => this.progress(p)), source.onFinished((f) => this.finished(f))];
  }

  readonly getSnapshot = (): JobsSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Every job event after the store has applied it: for screens that re-read their own data when a job commits. */
  readonly onEvent = (listener: (e: JobEvent) => void): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  /**
   * The open project (its folder; null: none). Job ids belong to one project's table, so a new
   * project starts from an empty store and reads its table.
   */
  scope(key: string | null): void {
    if (key === this.scopeKey) return;
    this.scopeKey = key;
    this.epoch++;
    this.lastEvent.clear();
    this.asked.clear();
    this.inFlight = this.queued = null;
    this.set(new Map());
    if (key !== null) void this.reload();
  }

  /**
   * Reads the job table. A call while a read is out waits for one more read asked after it, so
   * what the caller just did (started, cancelled, resumed a job) is in what it sees.
   */
  reload(): Promise<void> {
    if (!this.inFlight) {
      const read = this.read().finally(() => {
        if (this.inFlight === read) this.inFlight = null;
      });
      this.inFlight = read;
      return read;
    }
    if (!this.queued) {
      const after = this.inFlight.then(() => {
        if (this.queued === after) this.queued = null;
        return this.reload();
      });
      this.queued = after;
    }
    return this.queued;
  }

  dispose(): void {
    for (const off of this.off) off();
    this.listeners.clear();
    this.eventListeners.clear();
  }

  private async read(): Promise<void> {
    const epoch = this.epoch;
    const askedAt = this.seq;
    let list: JobInfo[];
    try {
      list = await this.source.list();
    } catch {
      // No project open, or the engine is restarting: keep what events said.
      return;
    }
    if (epoch !== this.epoch) return;
    this.set(withList(this.snapshot.byId, list, (id) => (this.lastEvent.get(id) ?? -1) > askedAt));
  }

  private progress(p: JobProgress): void {
    this.lastEvent.set(p.jobId, ++this.seq);
    const next = withProgress(this.snapshot.byId, p);
    this.set(next);
    // A job started elsewhere (another front, the CLI): its row says what it works on.
    if (next.get(p.jobId)!.params === null && !this.asked.has(p.jobId)) {
      this.asked.add(p.jobId);
      void this.reload();
    }
    this.emit({ type: 'progress', progress: p });
  }

  private finished(f: JobFinished): void {
    this.lastEvent.set(f.jobId, ++this.seq);
    this.set(withFinished(this.snapshot.byId, f));
    // The row holds the final counts, which the last progress event may not have reached.
    void this.reload();
    this.emit({ type: 'finished', finished: f });
  }

  private set(byId: Map<number, JobView>): void {
    this.snapshot = snapshotOf(byId);
    for (const l of [...this.listeners]) l();
  }

  private emit(e: JobEvent): void {
    for (const l of [...this.eventListeners]) l(e);
  }
}

// Selectors: plain functions of a snapshot.

export const allJobs = (s: JobsSnapshot): readonly JobView[] => s.list;

export const jobById = (s: JobsSnapshot, jobId: number | null): JobView | undefined => (jobId === null ? undefined : s.byId.get(jobId));

/** The jobs of one kind whose parameters name this category, newest first. */
export function stageJobs(s: JobsSnapshot, kind: JobKind, categoryId: number | undefined): JobView[] {
  if (categoryId === undefined) return [];
  return s.list.filter((j) => j.kind === kind && j.params?.categoryId === categoryId);
}

export const anyActive = (s: JobsSnapshot, kind: JobKind): boolean => s.list.some((j) => j.kind === kind && isActive(j.status));

export const endedCount = (s: JobsSnapshot): number =>
  s.list.filter((j) => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled').length;

/** A job whose end this app heard (its finish event arrived while it was open). */
export const endedInSession = (j: JobView): boolean => isSettled(j.status) && j.result !== undefined;

/** How many finished jobs the bar keeps showing with their next step: a newer finish makes older advice stale. */
const RECENT_DONE = 1;

/**
 * The jobs the job bar shows, newest first: running and queued ones; cancelled and interrupted
 * ones, which a resume continues; every job that failed while the app was open, with the
 * engine's message, until dismissed (and a failed job the app did not see end while it is the
 * newest); and the last job that finished while the app was open, with the next step, until
 * dismissed.
 */
export function barJobs(list: readonly JobView[], dismissed: ReadonlySet<number>): JobView[] {
  let recentDone = 0;
  return list.filter((j, i) => {
    if (isActive(j.status) || j.status === 'interrupted' || j.status === 'cancelled') return true;
    if (dismissed.has(j.jobId)) return false;
    if (j.status === 'failed') return endedInSession(j) || i === 0;
    return j.status === 'done' && endedInSession(j) && recentDone++ < RECENT_DONE;
  });
}
