import type { OutsideChange } from '../../core/generate/alignment';
import type { Mask, Raster } from '../../core/image/raster';
import type { GenerateInput } from '../../core/generate/types';
import type { WorkerReply, WorkerRequest } from './generator-worker';
import { defaultPoolSize, WorkerPool, workerFile } from './worker-pool';

export interface PoolResult {
  image: Raster;
  /** The pair's label (GenerateOutput.mask). */
  mask: Mask;
  blendMode: string;
  outsideChange: OutsideChange;
  fallback?: string;
}

/**
 * A fixed pool of generator workers, one per core. Inputs are copied to the worker; the output
 * image's buffer is transferred back without a copy.
 */
export class GeneratorPool {
  private readonly pool: WorkerPool<WorkerRequest, WorkerReply>;

  constructor(size = defaultPoolSize()) {
    this.pool = new WorkerPool('generator', workerFile('generator-worker'), size);
  }

  get size(): number {
    return this.pool.size;
  }

  async run(generator: string, input: GenerateInput): Promise<PoolResult> {
    const r = await this.pool.run({ generator, input });
    return { image: r.image, mask: r.mask, blendMode: r.blendMode, outsideChange: r.outsideChange, fallback: r.fallback };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
