/**
 * Worker thread body: the score map and ARS of generated pairs (METHOD.md §5, Eq. 7) with the
 * built-in patch extractor, so scoring uses every core while the engine's thread decodes the
 * pairs, encodes the heat maps and writes. The first message is the model, which the worker
 * keeps; then one message per pair.
 */
import { parentPort } from 'node:worker_threads';
import type { Mask, Raster } from '../../core/image/raster';
import type { ScoreMap } from '../../core/metrics';
import { anomalyRegionScore, createHandcraftedExtractor, scoreImage, type ScoreModel } from '../../core/score';

export type PairScorerMessage = { type: 'model'; model: ScoreModel } | PairScorerRequest;

export interface PairScorerRequest {
  type: 'pair';
  id: number;
  image: Raster;
  mask: Mask;
}

export type PairScorerReply = { id: number; ok: true; ars: number; map: ScoreMap } | { id: number; ok: false; error: string };

const extractor = createHandcraftedExtractor();
let model: ScoreModel | null = null;

parentPort?.on('message', (msg: PairScorerMessage) => {
  if (msg.type === 'model') {
    model = msg.model;
    return;
  }
  const reply = (r: PairScorerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(r, transfer);
  try {
    if (!model) throw new Error('the pair scorer has no model');
    const map = scoreImage(model, extractor, msg.image);
    reply({ id: msg.id, ok: true, ars: anomalyRegionScore(map, msg.mask), map }, [map.data.buffer as ArrayBuffer]);
  } catch (err) {
    reply({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
