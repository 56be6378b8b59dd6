import { describe, expect, it } from 'vitest';
import { createPromptTokenizer, encodePrompt, promptEmbeddings } from '../../../../src-main/core/onnx/tokenizer';
import { DIM, TOKEN_WORDS, tinyClipTokenizerJson } from './tiny-packs';
import { weights } from './tiny-models';

const { json, vocab } = tinyClipTokenizerJson(TOKEN_WORDS);
const tok = createPromptTokenizer(json);
const A = vocab.get('a</w>')!;
const PHOTO = vocab.get('photo</w>')!;
const OF = vocab.get('of</w>')!;
const CRACK = vocab.get('crack</w>')!;

describe('CLIP prompt tokenizer', () => {
  it('reads the start, end and pad tokens from tokenizer.json', () => {
    expect([tok.bosId, tok.eosId, tok.padId]).toEqual([0, 1, 1]);
  });

  it('encodes words through BPE merges to their whole-word tokens, lower-cased', () => {
    expect(tok.encodeText('a photo of')).toEqual([A, PHOTO, OF]);
    expect(tok.encodeText('A  Photo OF crack')).toEqual([A, PHOTO, OF, CRACK]);
  });

  it('puts the 12 concept vectors where A* stands, between the words and the end token, padded to 77', () => {
    const e = encodePrompt(tok, 'a photo of A*', 'A*', 12);
    const expected = [0, A, PHOTO, OF, ...Array(12).fill(-1), 1, ...Array(77 - 17).fill(1)];
    expect(e.ids).toEqual(expected);
    expect(e.conceptPositions).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(e.slots[4]).toEqual({ concept: 0 });
    expect(e.slots[15]).toEqual({ concept: 11 });
  });

  it('encodes an empty negative prompt as start, end and padding', () => {
    const e = encodePrompt(tok, '', 'A*', 0);
    expect(e.ids).toEqual([0, 1, ...Array(75).fill(1)]);
    expect(e.conceptPositions).toEqual([]);
  });

  it('truncates a long prompt to 77 keeping the end token last', () => {
    const e = encodePrompt(tok, Array(100).fill('crack').join(' '), 'A*', 0);
    expect(e.ids.length).toBe(77);
    expect(e.ids[0]).toBe(0);
    expect(e.ids.slice(1, 76).every((id) => id === CRACK)).toBe(true);
    expect(e.ids[76]).toBe(1);
  });

  it('refuses a prompt whose learned vectors would be cut by truncation', () => {
    expect(() => encodePrompt(tok, `${Array(70).fill('crack').join(' ')} A*`, 'A*', 12)).toThrow(/too long/);
    expect(() => encodePrompt(tok, 'a photo of a crack', 'A*', 12)).toThrow(/placeholder/);
  });

  it('builds inputs_embeds from embedding-table rows and the spliced concept rows', () => {
    const table = { shape: [vocab.size, DIM], data: weights(vocab.size * DIM, 1, 0.5) };
    const concept = weights(12 * DIM, 3, 1);
    const e = encodePrompt(tok, 'a photo of A*', 'A*', 12);
    const x = promptEmbeddings(e, table, concept);
    expect(x.length).toBe(77 * DIM);
    const row = (k: number): number[] => Array.from(x.subarray(k * DIM, (k + 1) * DIM));
    expect(row(2)).toEqual(Array.from(table.data.subarray(PHOTO * DIM, (PHOTO + 1) * DIM)));
    expect(row(4)).toEqual(Array.from(concept.subarray(0, DIM)));
    expect(row(15)).toEqual(Array.from(concept.subarray(11 * DIM, 12 * DIM)));
    expect(row(16)).toEqual(Array.from(table.data.subarray(1 * DIM, 2 * DIM)));
  });
});
