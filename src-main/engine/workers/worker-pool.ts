import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The bundled worker `name`.js (Electron build) or its source-tree shim `name`.cjs (tsx: CLI, web host, tests). */
export function workerFile(name: string): string {
  const bundled = join(__dirname, `${name}.js`);
  return existsSync(bundled) ? bundled : join(__dirname, `${name}.cjs`);
}

/** One worker per core, at most 8. */
export const defaultPoolSize = (): number => Math.max(1, Math.min(availableParallelism(), 8));

interface Pending<R> {
  resolve(r: R): void;
  reject(e: Error): void;
}

/** What every worker reply is: the request's id, then its outcome or the error that stopped it. */
type Reply = { id: number; ok: true } | { id: number; ok: false; error: string };

/**
 * A fixed pool of worker threads running one body: the pool numbers each request and each reply
 * names that id; a reply with `ok: false` rejects with its error, so a caller only ever sees
 * the `ok: true` replies. `setup` messages are sent to every worker before any request (e.g. a
 * model the workers keep). A worker that dies fails its request; with none left, queued work
 * fails instead of waiting forever.
 */
export class WorkerPool<Req extends { id: number }, Rep extends Reply> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { req: Req; transfer: ArrayBuffer[]; pending: Pending<Extract<Rep, { ok: true }>> }[] = [];
  private readonly inFlight = new Map<number, { worker: Worker; pending: Pending<Extract<Rep, { ok: true }>> }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly what: string,
    file: string,
    size = defaultPoolSize(),
    setup: unknown[] = [],
  ) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(file);
      for (const m of setup) w.postMessage(m);
      w.on('message', (r: Rep) => this.settle(w, r));
      w.on('error', (err) => this.fail(w, err));
      w.on('exit', () => this.retire(w));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run(request: Omit<Req, 'id'>, transfer: ArrayBuffer[] = []): Promise<Extract<Rep, { ok: true }>> {
    if (this.closed) return Promise.reject(new Error(`the ${this.what} pool is closed`));
    const req = { ...request, id: this.nextId++ } as Req;
    return new Promise((resolve, reject) => {
      this.queue.push({ req, transfer, pending: { resolve, reject } });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error(`the ${this.what} pool is closed`));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const { req, transfer, pending } = this.queue.shift()!;
      this.inFlight.set(req.id, { worker, pending });
      worker.postMessage(req, transfer);
    }
  }

  private settle(worker: Worker, r: Rep): void {
    const job = this.inFlight.get(r.id);
    if (!job) return;
    this.inFlight.delete(r.id);
    this.idle.push(worker);
    if (r.ok) job.pending.resolve(r as Extract<Rep, { ok: true }>);
    else job.pending.reject(new Error(r.error));
    this.pump();
  }

  private retire(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    const j = this.idle.indexOf(worker);
    if (j >= 0) this.idle.splice(j, 1);
    this.fail(worker, new Error(`a ${this.what} worker stopped`));
    if (this.workers.length === 0) for (const { pending } of this.queue.splice(0)) pending.reject(new Error(`every ${this.what} worker stopped`));
  }

  private fail(worker: Worker, err: Error): void {
    for (const [id, job] of this.inFlight) {
      if (job.worker !== worker) continue;
      this.inFlight.delete(id);
      job.pending.reject(err);
    }
  }
}
