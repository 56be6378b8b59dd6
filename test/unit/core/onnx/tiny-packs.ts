/**
 * Tiny model packs on disk (folders with pack.json, .onnx, .npy and tokenizer.json) built
 * from the graphs in tiny-models.ts, with correct hashes unless a test breaks them on purpose.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeNpy } from '../../../../src-main/core/onnx/npy';
import {
  backboneModel,
  positionEncoderModel,
  segmenterDecoderModel,
  segmenterEncoderModel,
  textEncoderModel,
  unetModel,
  vaeDecoderModel,
  vaeEncoderModel,
  weights,
} from './tiny-models';

export const DIM = 8;
export const SIZE = 32;
export const MASK_SIZE = 16;

export const BOS = '<|startoftext|>';
export const EOS = '<|endoftext|>';

/**
 * A CLIP-shaped tokenizer.json (NFC + whitespace + lower-case normaliser, CLIP's split regex +
 * byte-level pre-tokeniser, BPE with "</w>" word ends, RobertaProcessing) over a few words.
 * Ids: 0 = BOS, 1 = EOS, then a-z, then a-z with "</w>", then every merge result in order.
 */
export function tinyClipTokenizerJson(words: string[]): { json: unknown; vocab: Map<string, number> } {
  const vocab = new Map<string, number>([[BOS, 0], [EOS, 1]]);
  const add = (t: string): void => {
    if (!vocab.has(t)) vocab.set(t, vocab.size);
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  letters.forEach(add);
  letters.forEach((c) => add(`${c}</w>`));
  const merges: string[] = [];
  for (const w of words) {
    const parts = w.split('').map((c, i) => (i === w.length - 1 ? `${c}</w>` : c));
    let acc = parts[0];
    for (let i = 1; i < parts.length; i++) {
      const merge = `${acc} ${parts[i]}`;
      acc += parts[i];
      if (!merges.includes(merge)) merges.push(merge);
      add(acc);
    }
  }
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: BOS, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
      { id: 1, content: EOS, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: [EOS, 1], cls: [BOS, 0], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: EOS,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  return { json, vocab };
}

export const TOKEN_WORDS = ['a', 'photo', 'of', 'crack'];

type Files = Record<string, Uint8Array | string>;

function tensors(list: [string, string, (number | string)[]][]): { name: string; dtype: string; shape: (number | string)[] }[] {
  return list.map(([name, dtype, shape]) => ({ name, dtype, shape }));
}

/** Writes `files` and a pack.json listing them with their sha256; `edit` may alter the manifest first. */
export function writePack(dir: string, manifest: Record<string, unknown>, files: Files, edit?: (m: Record<string, unknown>) => void): string {
  mkdirSync(dir, { recursive: true });
  const listed = Object.entries(files).map(([path, content]) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
    return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  });
  const m = { ...manifest, files: listed };
  edit?.(m);
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(m, null, 2));
  return dir;
}

export function sd15Files(timestep: 'int64' | 'float32' = 'int64'): { manifest: Record<string, unknown>; files: Files; vocab: Map<string, number>; tokenEmbedding: Float32Array } {
  const { json, vocab } = tinyClipTokenizerJson(TOKEN_WORDS);
  const tokenEmbedding = weights(vocab.size * DIM, 1, 0.5);
  const lat = SIZE / 8;
  return {
    vocab,
    tokenEmbedding,
    files: {
      'text_encoder/model.onnx': textEncoderModel(DIM),
      'unet/model.onnx': unetModel(DIM, lat, timestep),
      'vae_encoder/model.onnx': vaeEncoderModel(SIZE),
      'vae_decoder/model.onnx': vaeDecoderModel(SIZE),
      'tokenizer/tokenizer.json': JSON.stringify(json),
      'token_embedding.npy': writeNpy(tokenEmbedding, [vocab.size, DIM]),
    },
    manifest: {
      name: 'tiny-sd15',
      kind: 'sd15-onnx',
      version: '0.0.1',
      licence: 'CC0-1.0',
      tokenizer: 'tokenizer/tokenizer.json',
      tokenEmbedding: 'token_embedding.npy',
      resolution: SIZE,
      models: {
        text_encoder: {
          file: 'text_encoder/model.onnx',
          inputs: tensors([['inputs_embeds', 'float32', ['batch', 77, DIM]]]),
          outputs: tensors([['last_hidden_state', 'float32', ['batch', 77, DIM]]]),
        },
        unet: {
          file: 'unet/model.onnx',
          inputs: tensors([
            ['sample', 'float32', ['batch', 4, lat, lat]],
            ['timestep', timestep, [1]],
            ['encoder_hidden_states', 'float32', ['batch', 77, DIM]],
          ]),
          outputs: tensors([['out_sample', 'float32', ['batch', 4, lat, lat]]]),
        },
        vae_encoder: {
          file: 'vae_encoder/model.onnx',
          inputs: tensors([['sample', 'float32', ['batch', 3, SIZE, SIZE]]]),
          outputs: tensors([['latent_sample', 'float32', ['batch', 4, lat, lat]]]),
        },
        vae_decoder: {
          file: 'vae_decoder/model.onnx',
          inputs: tensors([['latent_sample', 'float32', ['batch', 4, lat, lat]]]),
          outputs: tensors([['sample', 'float32', ['batch', 3, SIZE, SIZE]]]),
        },
      },
    },
  };
}

export function writeSd15Pack(dir: string, edit?: (m: Record<string, unknown>) => void, timestep: 'int64' | 'float32' = 'int64'): string {
  const { manifest, files } = sd15Files(timestep);
  return writePack(dir, manifest, files, edit);
}

export const CLUSTER_EF: Record<string, Float32Array> = { 'crack-1': weights(8 * DIM, 0.8, 3), 'crack-2': weights(8 * DIM, -0.8, 4) };

/** A concept pack for the clusters `clusterEf` (id → e_f, 8 × DIM values); the default ids are 'crack-1' and 'crack-2'. */
export function writeConceptsPack(
  dir: string,
  edit?: (m: Record<string, unknown>) => void,
  clusterEf: Record<string, Float32Array> = CLUSTER_EF,
): string {
  return writePack(
    dir,
    {
      name: 'tiny-concepts',
      kind: 'gaa-concepts',
      version: '0.0.1',
      licence: 'CC0-1.0',
      embeddingDim: DIM,
      maskSize: MASK_SIZE,
      baseModel: 'tiny-sd15',
      clusters: Object.keys(clusterEf).map((id) => ({ id, ef: `e_f/${id}.npy` })),
      models: {
        position_encoder: {
          file: 'position_encoder.onnx',
          inputs: tensors([['mask', 'float32', [1, 1, MASK_SIZE, MASK_SIZE]]]),
          outputs: tensors([['e_p', 'float32', [1, 4, DIM]]]),
        },
      },
    },
    {
      'position_encoder.onnx': positionEncoderModel(MASK_SIZE, DIM),
      ...Object.fromEntries(Object.entries(clusterEf).map(([id, v]) => [`e_f/${id}.npy`, writeNpy(v, [v.length / DIM, DIM])])),
    },
    edit,
  );
}

export function writeBackbonePack(dir: string): string {
  return writePack(
    dir,
    {
      name: 'tiny-backbone',
      kind: 'backbone',
      version: '1',
      licence: 'CC0-1.0',
      inputSize: 16,
      models: {
        backbone: {
          file: 'backbone.onnx',
          inputs: tensors([['image', 'float32', [1, 3, 16, 16]]]),
          outputs: tensors([['features', 'float32', [1, 2, 16, 16]]]),
        },
      },
    },
    { 'backbone.onnx': backboneModel(16) },
  );
}

export function writeSegmenterPack(dir: string, edit?: (m: Record<string, unknown>) => void): string {
  return writePack(
    dir,
    {
      name: 'tiny-segmenter',
      kind: 'segmenter',
      version: '1',
      licence: 'CC0-1.0',
      models: {
        image_encoder: {
          file: 'encoder.onnx',
          inputs: tensors([['image', 'float32', [1, 3, 16, 16]]]),
          outputs: tensors([['image_embeddings', 'float32', [1, 2, 16, 16]]]),
        },
        prompt_decoder: {
          file: 'decoder.onnx',
          inputs: tensors([['image_embeddings', 'float32', [1, 2, 16, 16]], ['point_coords', 'float32', [1, 'points', 2]]]),
          outputs: tensors([['masks', 'float32', [1, 2, 16, 16]]]),
        },
      },
    },
    { 'encoder.onnx': segmenterEncoderModel(16), 'decoder.onnx': segmenterDecoderModel(16) },
    edit,
  );
}
