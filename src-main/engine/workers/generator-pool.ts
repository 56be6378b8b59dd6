import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OutsideChange } from '../../core/generate/alignment';
import type { Raster } from '../../core/image/raster';
import type { GenerateInput } from '../../core/generate/types';
import type { WorkerReply, WorkerRequest } from './generator-worker';

/** The bundled worker (Electron build) or the source-tree shim (tsx: CLI, web host, tests). */
function workerFile(): string {
  const bundled = join(__dirname, 'generator-worker.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'generator-worker.cjs');
}

export interface PoolResult {
  image: Raster;
  blendMode: string;
  outsideChange: OutsideChange;
  fallback?: string;
}

interface Pending {
  resolve(r: PoolResult): void;
  reject(e: Error): void;
}

/**
 * A fixed pool of generator workers, one per core. Inputs are copied to the worker; the output
 * image's buffer is transferred back without a copy.
 */
export class GeneratorPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { req: WorkerRequest; pending: Pending }[] = [];
  private readonly inFlight = new Map<number, { worker: Worker; pending: Pending }>();
  private nextId = 1;
  private closed = false;

  constructor(size = Math.max(1, Math.min(availableParallelism(), 8))) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerFile());
      w.on('message', (r: WorkerReply) => this.settle(w, r));
      w.on('error', (err) => this.fail(w, err));
      w.on('exit', () => this.retire(w));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run(generator: string, input: GenerateInput): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new Error('the generator pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, generator, input }, pending: { resolve, reject } });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('the generator pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const { req, pending } = this.queue.shift()!;
      this.inFlight.set(req.id, { worker, pending });
      worker.postMessage(req);
    }
  }

  private settle(worker: Worker, r: WorkerReply): void {
    const job = this.inFlight.get(r.id);
    if (!job) return;
    this.inFlight.delete(r.id);
    this.idle.push(worker);
    if (r.ok) job.pending.resolve({ image: r.image, blendMode: r.blendMode, outsideChange: r.outsideChange, fallback: r.fallback });
    else job.pending.reject(new Error(r.error));
    this.pump();
  }

  /** A worker that died is dropped; with none left, queued work fails instead of waiting forever. */
  private retire(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    const j = this.idle.indexOf(worker);
    if (j >= 0) this.idle.splice(j, 1);
    this.fail(worker, new Error('a generator worker stopped'));
    if (this.workers.length === 0) for (const { pending } of this.queue.splice(0)) pending.reject(new Error('every generator worker stopped'));
  }

  private fail(worker: Worker, err: Error): void {
    for (const [id, job] of this.inFlight) {
      if (job.worker !== worker) continue;
      this.inFlight.delete(id);
      job.pending.reject(err);
    }
  }
}
