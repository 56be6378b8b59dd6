import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../../../../src-main/io/demo-writer';
import { sha256s } from './image-stats';

let work: string;
let first: Record<string, string>;
let same: Record<string, string>;
let other: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gaa-demo-determinism-'));
  // Separate folders: the stamp check must not short-circuit the second generation.
  await generateDemoDataset(join(work, 'a'), { seed: 7, scale: 0.05 });
  await generateDemoDataset(join(work, 'b'), { seed: 7, scale: 0.05 });
  await generateDemoDataset(join(work, 'c'), { seed: 8, scale: 0.05 });
  [first, same, other] = await Promise.all(['a', 'b', 'c'].map((d) => sha256s(join(work, d))));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('demo dataset determinism', () => {
  it('writes byte-identical files for the same seed', () => {
    expect(Object.keys(first).length).toBeGreaterThan(20);
    expect(same).toEqual(first);
  });

  it('draws different images for a different seed, in the same layout', () => {
    expect(Object.keys(other)).toEqual(Object.keys(first));
    const images = Object.keys(first).filter((f) => f.startsWith('mvtec/') && !f.includes('ground_truth'));
    const changed = images.filter((f) => other[f] !== first[f]);
    expect(changed).toEqual(images);
  });
});
