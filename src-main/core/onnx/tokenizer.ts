/**
 * The prompt side of Localized Concept Decomposition (§3.2): "a photo of A*" is tokenised
 * with the pack's CLIP tokenizer and the placeholder A* stands for the 12 learned vectors
 * {e_f (8), e_p (4)}, spliced in as embeddings since no vocabulary word carries them.
 *
 * The rule, exactly:
 *  1. The prompt is split at every occurrence of the placeholder string (default "A*").
 *  2. Each text piece is encoded by the tokenizer without special tokens (CLIP lower-cases
 *     and trims whitespace, so "a photo of " gives a, photo, of).
 *  3. The sequence is BOS, piece₀, [C₀ … C₁₁], piece₁, …, EOS, where C_k is concept vector k
 *     (e_f rows first, then e_p rows). This equals encoding A* as one token and replacing
 *     that token's embedding by the 12 vectors: the sequence grows by 11 per occurrence.
 *  4. Longer than maxLength (77): kept are the first maxLength − 1 entries and EOS is put
 *     last, as CLIP truncates; if that would cut a concept vector the prompt is refused.
 *  5. Shorter: padded to maxLength with the pad id (tokenizer.json's `padding.pad_id`,
 *     else EOS, which is what SD 1.x's CLIP tokenizer pads with).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type { NpyArray } from './npy';

export interface PromptTokenizer {
  bosId: number;
  eosId: number;
  padId: number;
  maxLength: number;
  /** Token ids of a piece of text, without BOS/EOS. */
  encodeText(text: string): number[];
}

export type PromptSlot = { token: number } | { concept: number };

export interface EncodedPrompt {
  /** Exactly maxLength slots. */
  slots: PromptSlot[];
  /** Token id per slot, −1 where a concept vector goes. */
  ids: number[];
  /** Slot indices holding concept vectors, in order. */
  conceptPositions: number[];
}

interface TokenizerJson {
  model?: unknown;
  padding?: { pad_id?: number } | null;
  post_processor?: { cls?: [string, number]; sep?: [string, number] } | null;
}

/** Builds the prompt tokenizer from the parsed contents of the pack's tokenizer.json. */
export function createPromptTokenizer(tokenizerJson: unknown, maxLength = 77): PromptTokenizer {
  const json = tokenizerJson as TokenizerJson;
  if (!json || typeof json !== 'object' || !json.model) throw new Error('tokenizer.json has no model');
  const tok = new Tokenizer(json, {});
  const bosId = tok.token_to_id('<|startoftext|>') ?? json.post_processor?.cls?.[1];
  const eosId = tok.token_to_id('<|endoftext|>') ?? json.post_processor?.sep?.[1];
  if (bosId === undefined || eosId === undefined) throw new Error('tokenizer.json has no <|startoftext|>/<|endoftext|> tokens');
  const padId = typeof json.padding?.pad_id === 'number' ? json.padding.pad_id : eosId;
  return {
    bosId,
    eosId,
    padId,
    maxLength,
    encodeText: (text) => (text.trim().length === 0 ? [] : tok.encode(text, { add_special_tokens: false }).ids),
  };
}

/** Encodes `prompt` per the rule above; `conceptTokens` is 0 for a prompt without learned vectors. */
export function encodePrompt(tok: PromptTokenizer, prompt: string, placeholder: string, conceptTokens: number): EncodedPrompt {
  const pieces = conceptTokens > 0 ? prompt.split(placeholder) : [prompt];
  if (conceptTokens > 0 && pieces.length < 2) throw new Error(`the prompt '${prompt}' does not contain the placeholder '${placeholder}'`);
  const body: PromptSlot[] = [{ token: tok.bosId }];
  pieces.forEach((piece, i) => {
    if (i > 0) for (let k = 0; k < conceptTokens; k++) body.push({ concept: k });
    for (const id of tok.encodeText(piece)) body.push({ token: id });
  });
  const wanted = body.filter((s) => 'concept' in s).length;
  const slots = body.slice(0, tok.maxLength - 1);
  if (slots.filter((s) => 'concept' in s).length !== wanted) {
    throw new Error(`the prompt is too long: the learned vectors would not fit in ${tok.maxLength} tokens`);
  }
  slots.push({ token: tok.eosId });
  while (slots.length < tok.maxLength) slots.push({ token: tok.padId });
  const conceptPositions: number[] = [];
  const ids = slots.map((s, i) => {
    if ('token' in s) return s.token;
    conceptPositions.push(i);
    return -1;
  });
  return { slots, ids, conceptPositions };
}

/**
 * The text encoder's `inputs_embeds`: one row of the token embedding table per token slot,
 * one row of `conceptVectors` ([conceptTokens, dim], e_f then e_p) per concept slot.
 */
export function promptEmbeddings(encoded: EncodedPrompt, tokenEmbedding: NpyArray, conceptVectors: Float32Array | null): Float32Array {
  const [vocab, dim] = tokenEmbedding.shape;
  const out = new Float32Array(encoded.slots.length * dim);
  encoded.slots.forEach((slot, i) => {
    if ('token' in slot) {
      if (slot.token < 0 || slot.token >= vocab) throw new Error(`token id ${slot.token} is outside the embedding table (${vocab} rows)`);
      out.set(tokenEmbedding.data.subarray(slot.token * dim, (slot.token + 1) * dim), i * dim);
    } else {
      if (!conceptVectors || (slot.concept + 1) * dim > conceptVectors.length) throw new Error(`concept vector ${slot.concept} is missing`);
      out.set(conceptVectors.subarray(slot.concept * dim, (slot.concept + 1) * dim), i * dim);
    }
  });
  return out;
}
