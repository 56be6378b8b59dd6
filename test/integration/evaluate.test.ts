import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';

let work: string;
const gray = (values: number[]) => sharp(Buffer.from(values), { raw: { width: values.length, height: 1, channels: 1 } }).png().toBuffer();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-evaluate-'));
  mkdirSync(join(work, 'pred'));
  mkdirSync(join(work, 'gt'));
  // Image a: one anomalous pixel scoring 200. Image b: normal, but one pixel scores 250.
  writeFileSync(join(work, 'pred', 'a.png'), await gray([200, 100, 50, 0]));
  writeFileSync(join(work, 'gt', 'a_mask.png'), await gray([255, 0, 0, 0]));
  writeFileSync(join(work, 'pred', 'b.png'), await gray([250, 40, 20, 10]));
  writeFileSync(join(work, 'gt', 'b.png'), await gray([0, 0, 0, 0]));
  writeFileSync(join(work, 'pred', 'c.png'), await gray([1, 2, 3, 4]));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gaa evaluate', () => {
  it('computes the metrics of predicted maps against masks (hand-worked values)', async () => {
    let out = '';
    const code = await runCli(['evaluate', '--pred', join(work, 'pred'), '--gt', join(work, 'gt'), '--json'], { out: (t) => (out += t), err: () => undefined });
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.pairs).toBe(2);
    // The one positive pixel (200) beats 6 of the 7 negatives (only 250 is higher).
    expect(r.pixelAuroc).toBeCloseTo(6 / 7, 10);
    // Ranked: 250 (negative), 200 (positive): precision 1/2 at the only recall step.
    expect(r.pixelAp).toBeCloseTo(0.5, 10);
    // Best threshold 200: TP 1, FP 1, FN 0 → F1 = 2/3.
    expect(r.pixelF1Max).toBeCloseTo(2 / 3, 10);
    // Image scores are the maps' maxima: the normal image (250) outranks the anomalous one (200).
    expect(r.imageAuroc).toBe(0);
    expect(r.errors).toEqual([{ file: join(work, 'pred', 'c.png'), reason: expect.stringMatching(/no ground-truth mask named c_mask\.png or c\.png/) }]);
  });
});
