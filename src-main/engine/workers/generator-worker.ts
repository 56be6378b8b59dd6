/**
 * Worker thread body: runs a built-in generator on plain data, so synthesis uses every core and
 * the engine's own thread stays free to answer the UI.
 */
import { parentPort } from 'node:worker_threads';
import type { OutsideChange } from '../../core/generate/alignment';
import { prepareExemplar, type PreparedExemplar } from '../../core/generate/defect-layer';
import { exemplarGenerator } from '../../core/generate/exemplar';
import type { GenerateInput, Generator } from '../../core/generate/types';

const generators: Record<string, Generator> = { exemplar: exemplarGenerator };

/** Exemplars split once per worker: a job makes many pairs from each. */
const prepared = new Map<string, PreparedExemplar>();
function withPrepared(input: GenerateInput): GenerateInput {
  const ex = input.exemplar;
  if (!ex?.key || ex.prepared) return input;
  let p = prepared.get(ex.key);
  if (!p) {
    p = prepareExemplar(ex.image, ex.mask);
    if (prepared.size >= 64) prepared.delete(prepared.keys().next().value as string);
    prepared.set(ex.key, p);
  }
  return { ...input, exemplar: { ...ex, prepared: p } };
}

export interface WorkerRequest {
  id: number;
  generator: string;
  input: GenerateInput;
}

export type WorkerReply =
  | { id: number; ok: true; image: GenerateInput['normal']; mask: GenerateInput['alignedMask']; blendMode: string; outsideChange: OutsideChange; fallback?: string }
  | { id: number; ok: false; error: string };

parentPort?.on('message', (msg: WorkerRequest) => {
  const gen = generators[msg.generator];
  const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(r, transfer);
  if (!gen) return reply({ id: msg.id, ok: false, error: `unknown generator ${msg.generator}` });
  let input: GenerateInput;
  try {
    input = withPrepared(msg.input);
  } catch (err) {
    return reply({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
  gen.generate(input).then(
    (out) =>
      reply(
        { id: msg.id, ok: true, image: out.image, mask: out.mask, blendMode: out.blendMode, outsideChange: out.outsideChange, fallback: out.fallback },
        // The label may be the input's aligned mask (a copy of the caller's), so only the image moves.
        [out.image.data.buffer as ArrayBuffer],
      ),
    (err: unknown) => reply({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
