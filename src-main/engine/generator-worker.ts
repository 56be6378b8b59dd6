/**
 * Worker thread body: runs a built-in generator on plain data, so synthesis uses every core and
 * the engine's own thread stays free to answer the UI.
 */
import { parentPort } from 'node:worker_threads';
import { exemplarGenerator } from '../core/generate/exemplar';
import type { GenerateInput, Generator } from '../core/generate/types';

const generators: Record<string, Generator> = { exemplar: exemplarGenerator };

export interface WorkerRequest {
  id: number;
  generator: string;
  input: GenerateInput;
}

export type WorkerReply =
  | { id: number; ok: true; image: GenerateInput['normal']; blendMode: string }
  | { id: number; ok: false; error: string };

parentPort?.on('message', (msg: WorkerRequest) => {
  const gen = generators[msg.generator];
  const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(r, transfer);
  if (!gen) return reply({ id: msg.id, ok: false, error: `unknown generator ${msg.generator}` });
  gen.generate(msg.input).then(
    (out) => reply({ id: msg.id, ok: true, image: out.image, blendMode: out.blendMode }, [out.image.data.buffer as ArrayBuffer]),
    (err: unknown) => reply({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
