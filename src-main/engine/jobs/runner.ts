import type { JobFinished, JobFinishedOf, JobKind, JobProgress, JobResults } from '../../api/types';
import type { Db } from '../../store/db';
import { countItems, createJob, finishedItemKeys, getJob, markItem, updateJob } from '../../store/jobs';
import { EtaEstimate } from './eta';

/** What a job body sees: its cancel signal and a way to commit each finished item. */
export interface JobContext {
  jobId: number;
  signal: AbortSignal;
  /** Keys of items finished by an earlier run of this job (resume skips them). */
  finished: ReadonlySet<string>;
  setTotal(total: number): void;
  /**
   * Commits one item: `write` (the item's own rows) and the item's done-marker in one
   * transaction, so a kill between items never leaves an item half-stored or stored twice.
   */
  commitItem(key: string, status: 'done' | 'failed' | 'skipped', write?: () => void): void;
  message(text: string): void;
  /** Progress of work that is all-or-nothing (an atomic export): shown, not stored as finished items. */
  progress(done: number): void;
  /**
   * `units` more of the total are done by work that commits no item of its own (the scorer's
   * training epochs, before its one `train` item): the bar moves, nothing is stored as finished.
   */
  advance(units: number): void;
  /**
   * For work whose units differ in cost (the scorer's fits, epochs and pairs): the job's own
   * estimate of its time left (null: not known yet), shown instead of the pace until `paceFromHere`.
   */
  estimate(msLeft: number | null): void;
  /** The units from here on cost about the same: the ETA is their pace again, measured afresh. */
  paceFromHere(): void;
}

/** A job's work: resolves to its result, or null when it stopped early (cancelled). */
export type JobBody<R = unknown> = (ctx: JobContext) => Promise<R | null>;

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Runs a project's jobs one at a time. Progress events are throttled to ~10/s and carry an ETA
 * from this run's own pace (eta.ts): a resumed job's old items and a job's setup do not skew it.
 */
export class JobRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly controllers = new Map<number, AbortController>();
  private readonly waiters = new Map<number, Promise<JobFinished>>();

  constructor(
    private readonly db: Db,
    private readonly emitProgress: (p: JobProgress) => void,
    private readonly emitFinished: (f: JobFinished) => void,
  ) {}

  start<K extends JobKind>(kind: K, params: object, body: JobBody<JobResults[K]>): number {
    const jobId = createJob(this.db, kind, params);
    this.enqueue(jobId, kind, body);
    return jobId;
  }

  /** Runs an existing job again; items it already committed are skipped by the body. */
  resume<K extends JobKind>(jobId: number, kind: K, body: JobBody<JobResults[K]>): void {
    const job = getJob(this.db, jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (job.kind !== kind) throw new Error(`job ${jobId} is a ${job.kind} job, not ${kind}`);
    updateJob(this.db, jobId, { status: 'queued', error: null });
    this.enqueue(jobId, kind, body);
  }

  cancel(jobId: number): boolean {
    const c = this.controllers.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Whether any job of this runner is queued or running. */
  busy(): boolean {
    return this.controllers.size > 0;
  }

  isActive(jobId: number): boolean {
    return this.controllers.has(jobId);
  }

  /** Resolves when the job ends; null when it was not run in this process (its outcome is in the store). */
  wait(jobId: number): Promise<JobFinished> | null {
    return this.waiters.get(jobId) ?? null;
  }

  cancelAll(): void {
    for (const c of this.controllers.values()) c.abort();
  }

  /** Resolves once every queued job has ended. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private enqueue<K extends JobKind>(jobId: number, kind: K, body: JobBody<JobResults[K]>): void {
    const controller = new AbortController();
    this.controllers.set(jobId, controller);
    const run = this.tail.then(() => this.run(jobId, kind, body, controller));
    this.waiters.set(jobId, run);
    this.tail = run.catch(() => undefined);
  }

  private async run<K extends JobKind>(jobId: number, kind: K, body: JobBody<JobResults[K]>, controller: AbortController): Promise<JobFinished> {
    const db = this.db;
    const finished = finishedItemKeys(db, jobId);
    const start = countItems(db, jobId);
    let done = start.done;
    let failed = start.failed;
    let total = getJob(db, jobId)?.total ?? 0;
    let message = '';
    const eta = new EtaEstimate(start.done);
    let lastEmit = 0;

    const emit = (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      // Never "130/130" for 129 items nor 131/130: a body that finds more work than it announced widens the total.
      if (done > total) total = done;
      const etaMs = eta.etaMs(done, total, now);
      updateJob(db, jobId, { done, failed, total });
      this.emitProgress({ jobId, kind, done, total, failed, etaMs, message });
    };

    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      finished,
      setTotal(n) {
        total = n;
        emit(true);
      },
      commitItem(key, status, write) {
        if (controller.signal.aborted) throw new JobCancelled();
        db.transaction(() => {
          write?.();
          markItem(db, jobId, key, status);
        })();
        done++;
        if (status === 'failed') failed++;
        emit(false);
      },
      message(text) {
        message = text;
        emit(true);
      },
      progress(n) {
        done = n;
        emit(false);
      },
      advance(units) {
        done += units;
        emit(false);
      },
      estimate(msLeft) {
        eta.override(msLeft, Date.now());
        // Shown at once: the unit that made it was just reported with the old figure.
        emit(true);
      },
      paceFromHere() {
        eta.restart(done);
      },
    };

    updateJob(db, jobId, { status: 'running' });
    emit(true);
    let outcome: JobFinishedOf<K>;
    try {
      const result = await body(ctx);
      if (controller.signal.aborted) throw new JobCancelled();
      updateJob(db, jobId, { status: 'done', done, failed, total, result: result ?? null, error: null });
      outcome = { jobId, kind, status: 'done', error: null, result: result ?? null };
    } catch (err) {
      const cancelled = err instanceof JobCancelled || controller.signal.aborted;
      const error = cancelled ? null : err instanceof Error ? err.message : String(err);
      updateJob(db, jobId, { status: cancelled ? 'cancelled' : 'failed', done, failed, total, error });
      outcome = { jobId, kind, status: cancelled ? 'cancelled' : 'failed', error, result: null };
    } finally {
      this.controllers.delete(jobId);
    }
    message = outcome.status;
    emit(true);
    // The outcome of a kind-K job is the K member of the JobFinished union (TypeScript cannot see that for a generic K).
    const finishedJob = outcome as JobFinished;
    this.emitFinished(finishedJob);
    return finishedJob;
  }
}
