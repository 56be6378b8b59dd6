import type { Mask, Raster } from '../../core/image/raster';
import type { ScoreMap } from '../../core/metrics';
import type { ScoreModel } from '../../core/score';
import type { PairScorerReply, PairScorerRequest } from './pair-scorer-worker';
import { defaultPoolSize, WorkerPool, workerFile } from './worker-pool';

/**
 * Pair scoring on a pool of worker threads, one per core, each holding the model (issue 16:
 * scoring 1000 pairs ran on one core). Same code on the same inputs, so the same ARS bit for bit
 * as scoring in the engine's thread. Inputs are copied (a decoded image may share Node's buffer
 * pool); the score map comes back without a copy.
 */
export class PairScorerPool {
  private readonly pool: WorkerPool<PairScorerRequest, PairScorerReply>;

  constructor(model: ScoreModel, size = defaultPoolSize()) {
    this.pool = new WorkerPool('pair scorer', workerFile('pair-scorer-worker'), size, [{ type: 'model', model }]);
  }

  get size(): number {
    return this.pool.size;
  }

  async score(image: Raster, mask: Mask): Promise<{ ars: number; map: ScoreMap }> {
    const r = await this.pool.run({ type: 'pair', image, mask });
    return { ars: r.ars, map: r.map };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
