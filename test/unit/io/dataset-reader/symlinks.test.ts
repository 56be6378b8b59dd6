/**
 * Symbolic links a dataset cannot follow: each is reported with the file and the reason. Before,
 * a loop or a dangling link was skipped without a word, and an anomaly image whose mask was a
 * link loop was reported as having "no mask found".
 */
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../../src-main/io/dataset-reader';
import { makeTempDir, writeImage, writeRectMask } from './fixtures';

const tmp = makeTempDir('symlinks');
const cat = path.join(tmp.dir, 'widget');

beforeAll(async () => {
  await writeImage(path.join(cat, 'train/good/000.png'), { seed: 1 });
  await writeImage(path.join(cat, 'train/good/001.png'), { seed: 2 });
  // A link to itself (ELOOP) and a link to nothing, among the normal images.
  symlinkSync('loop.png', path.join(cat, 'train/good/loop.png'));
  symlinkSync(path.join(tmp.dir, 'gone.png'), path.join(cat, 'train/good/dangling.png'));
  await writeImage(path.join(cat, 'test/good/000.png'), { seed: 3 });
  await writeImage(path.join(cat, 'test/crack/000.png'), { seed: 4 });
  await writeImage(path.join(cat, 'test/crack/001.png'), { seed: 5 });
  await writeRectMask(path.join(cat, 'ground_truth/crack/000_mask.png'), [0, 0, 4, 4]);
  // The mask of 001 is a pair of links pointing at each other.
  symlinkSync('001_mask_b.png', path.join(cat, 'ground_truth/crack/001_mask.png'));
  symlinkSync('001_mask.png', path.join(cat, 'ground_truth/crack/001_mask_b.png'));
});
afterAll(() => tmp.cleanup());

describe('symbolic links in a dataset', () => {
  it('reports a link loop and a dangling link with the file and the reason', async () => {
    const result = await scanDataset(cat, 'mvtec');
    const byFile = new Map(result.errors.map((e) => [path.relative(cat, e.file), e.reason]));
    expect(byFile.get('train/good/loop.png')).toMatch(/^symbolic link loop: following loop\.png leads back round \(ELOOP\); skipped$/);
    expect(byFile.get('train/good/dangling.png')).toBe(`dangling symbolic link: its target ${path.join(tmp.dir, 'gone.png')} does not exist; skipped`);
    expect(result.items.filter((i) => i.kind === 'normal').map((i) => i.relPath).sort()).toEqual(['train/good/000.png', 'train/good/001.png', 'test/good/000.png'].sort());
  });

  it('says why an anomaly image has no mask when its mask is a link loop, instead of "no mask found"', async () => {
    const result = await scanDataset(cat, 'mvtec');
    const image = result.errors.find((e) => e.file === path.join(cat, 'test/crack/001.png'));
    expect(image?.reason).toMatch(/^its mask ground_truth\/crack\/001_mask\.png cannot be read: symbolic link loop/);
    expect(image?.reason).not.toMatch(/no mask found/);
    expect(result.errors.some((e) => e.file === path.join(cat, 'ground_truth/crack/001_mask.png') && /ELOOP/.test(e.reason))).toBe(true);
  });
});
