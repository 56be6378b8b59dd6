import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src-main/core/dataset';
import { decodeItem, detectLayout, scanDataset } from '../../../../src-main/io/dataset-reader';
import { makeTempDir, writeImage, writeRectMask, writeText } from './fixtures';

const tmp = makeTempDir('folder');
const screws = path.join(tmp.dir, 'screws');
const plain = path.join(tmp.dir, 'plain');

beforeAll(async () => {
  await writeImage(path.join(screws, 'good/a.jpg'), { seed: 1 });
  await writeImage(path.join(screws, 'good/b.tif'), { seed: 2 });
  await writeImage(path.join(screws, 'good/c.webp'), { seed: 3 });
  await writeRectMask(path.join(screws, 'good/a_mask.png'), [0, 0, 2, 2]);
  await writeImage(path.join(screws, 'normal/d.png'), { seed: 4 });
  // Beside the image: x.png next to x.jpg, and an explicit _mask file (upper-case names).
  await writeImage(path.join(screws, 'crack/x.jpg'), { seed: 5 });
  await writeRectMask(path.join(screws, 'crack/x.png'), [0, 0, 3, 3]);
  await writeImage(path.join(screws, 'crack/Y.JPEG'), { seed: 6 });
  await writeRectMask(path.join(screws, 'crack/Y_MASK.PNG'), [0, 0, 2, 5]);
  // Parallel trees, with and without the _mask suffix.
  await writeImage(path.join(screws, 'scratch/s1.jpg'), { seed: 7 });
  await writeRectMask(path.join(screws, 'masks/scratch/s1.png'), [4, 4, 4, 1]);
  await writeImage(path.join(screws, 'scratch/s2.jpg'), { seed: 8 });
  await writeRectMask(path.join(screws, 'ground_truth/scratch/s2_mask.png'), [4, 4, 1, 7]);
  await writeImage(path.join(screws, 'dent/d1.png'), { seed: 9 });
  await writeRectMask(path.join(screws, 'masks/ghost/g.png'), [0, 0, 1, 1]);

  await writeImage(path.join(plain, 'widgets/good/w0.png'), { seed: 10 });
  await writeImage(path.join(plain, 'widgets/defect/w1.png'), { seed: 11 });
  await writeRectMask(path.join(plain, 'widgets/defect/w1_mask.png'), [0, 0, 1, 1]);
  await writeImage(path.join(plain, 'gears/normal/g0.png'), { seed: 12 });
  await writeImage(path.join(plain, 'misc/other/m.png'), { seed: 13 });
  writeText(path.join(tmp.dir, 'nothing/readme.txt'), 'no images here');
});
afterAll(() => tmp.cleanup());

describe('plain folder scan', () => {
  it('treats a root holding good/ as one category named after the root', async () => {
    expect(await detectLayout(screws)).toBe('folder');
    const result = await scanDataset(screws, 'auto');
    expect(result.categories.map((c) => c.name)).toEqual(['screws']);
    expect(result.items.filter((i) => i.kind === 'normal').map((i) => [i.relPath, i.origin])).toEqual([
      ['good/a.jpg', 'train'],
      ['good/b.tif', 'train'],
      ['good/c.webp', 'train'],
      ['normal/d.png', 'train'],
    ]);
  });

  it('finds masks beside the image and in ground_truth/ or masks/ trees', async () => {
    const result = await scanDataset(screws, 'folder');
    const pairs = result.items
      .filter((i) => i.kind === 'anomaly')
      .map((i) => [i.relPath, i.defectType, i.maskPaths.map((m) => path.relative(screws, m))]);
    expect(pairs).toEqual([
      ['crack/x.jpg', 'crack', ['crack/x.png']],
      ['crack/Y.JPEG', 'crack', ['crack/Y_MASK.PNG']],
      ['scratch/s1.jpg', 'scratch', ['masks/scratch/s1.png']],
      ['scratch/s2.jpg', 'scratch', ['ground_truth/scratch/s2_mask.png']],
    ]);
  });

  it('reports an anomaly without a mask, a mask tree folder without images and a mask among normals', async () => {
    const result = await scanDataset(screws, 'folder');
    expect(result.errors.map((e) => path.relative(screws, e.file)).sort()).toEqual([
      'dent/d1.png',
      'good/a_mask.png',
      'masks/ghost',
    ]);
    expect(result.errors.find((e) => e.file.endsWith('d1.png'))?.reason).toContain('dent/d1_mask.png');
  });

  it('decodes a JPEG image with its beside PNG mask', async () => {
    const result = await scanDataset(screws, 'folder');
    const decoded = await decodeItem(result.items.find((i) => i.relPath === 'crack/Y.JPEG')!, { limitInputPixels: 1e6 });
    expect(decoded.masks.map((m) => m.area)).toEqual([10]);
  });

  it('reads a root of several categories and skips folders without good/ or normal/', async () => {
    expect(await detectLayout(plain)).toBe('folder');
    const result = await scanDataset(plain, 'auto');
    expect(result.categories.map((c) => c.name)).toEqual(['gears', 'widgets']);
    expect(result.items.map((i) => [i.category, i.relPath, i.kind])).toEqual([
      ['gears', 'gears/normal/g0.png', 'normal'],
      ['widgets', 'widgets/good/w0.png', 'normal'],
      ['widgets', 'widgets/defect/w1.png', 'anomaly'],
    ]);
  });
});

describe('whole-dataset problems', () => {
  it('refuses a missing root, naming it', async () => {
    const missing = path.join(tmp.dir, 'does-not-exist');
    await expect(scanDataset(missing, 'auto')).rejects.toThrow(DatasetError);
    await expect(scanDataset(missing, 'auto')).rejects.toThrow(missing);
  });

  it('refuses a file given as the dataset root', async () => {
    const file = path.join(tmp.dir, 'nothing/readme.txt');
    await expect(detectLayout(file)).rejects.toThrow(`dataset path is a file, not a folder: ${file}`);
  });

  it('refuses a folder with no recognisable layout and says what was expected', async () => {
    const err = await detectLayout(path.join(tmp.dir, 'nothing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/train\/good.*validation.*good\/ or normal\//s);
  });

  it('refuses a forced layout that does not match the folder', async () => {
    await expect(scanDataset(screws, 'mvtec')).rejects.toThrow(/no mvtec categories found/);
  });
});
