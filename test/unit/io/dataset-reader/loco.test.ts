import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeItem, detectLayout, scanDataset } from '../../../../src-main/io/dataset-reader';
import { grayPixels, makeTempDir, writeImage, writeRectMask, writeText } from './fixtures';

const tmp = makeTempDir('loco');
const root = path.join(tmp.dir, 'mvtec_loco_anomaly_detection');
const box = path.join(root, 'breakfast_box');
const juice = path.join(root, 'juice_bottle');
const config = [{ defect_name: 'missing_almonds', pixel_value: 255, saturation_threshold: 1, relative_saturation: true }];

beforeAll(async () => {
  await writeImage(path.join(box, 'train/good/000.png'), { seed: 1 });
  await writeImage(path.join(box, 'validation/good/000.png'), { seed: 2 });
  await writeImage(path.join(box, 'test/good/000.png'), { seed: 3 });
  await writeImage(path.join(box, 'test/logical_anomalies/000.png'), { seed: 4 });
  await writeImage(path.join(box, 'test/logical_anomalies/001.png'), { seed: 5 });
  await writeImage(path.join(box, 'test/structural_anomalies/000.png'), { seed: 6 });
  // Two overlapping regions: 4×4 at (0,0) and 4×4 at (2,2) share a 2×2 square, so the union is 16+16-4.
  await writeRectMask(path.join(box, 'ground_truth/logical_anomalies/000/000.png'), [0, 0, 4, 4]);
  await writeRectMask(path.join(box, 'ground_truth/logical_anomalies/000/001.png'), [2, 2, 4, 4], { on: 200 });
  // Region files sort numerically, so 10.png comes after 2.png.
  await writeRectMask(path.join(box, 'ground_truth/structural_anomalies/000/000.png'), [0, 0, 1, 1]);
  await writeRectMask(path.join(box, 'ground_truth/structural_anomalies/000/2.png'), [0, 0, 1, 1]);
  await writeRectMask(path.join(box, 'ground_truth/structural_anomalies/000/10.png'), [0, 0, 1, 1]);
  await writeRectMask(path.join(box, 'ground_truth/structural_anomalies/007/000.png'), [0, 0, 1, 1]);
  writeText(path.join(box, 'defects_config.json'), JSON.stringify(config));

  await writeImage(path.join(juice, 'train/good/000.png'), { seed: 7 });
  await writeImage(path.join(juice, 'validation/good/000.png'), { seed: 8 });
  await writeImage(path.join(juice, 'test/structural_anomalies/000.png'), { seed: 9 });
  await writeRectMask(path.join(juice, 'ground_truth/structural_anomalies/000/000.png'), [5, 5, 2, 2]);
  writeText(path.join(juice, 'defects_config.json'), '{ not json');
});
afterAll(() => tmp.cleanup());

describe('MVTec LOCO AD scan', () => {
  it('detects LOCO from its validation split and anomaly folder names', async () => {
    expect(await detectLayout(root)).toBe('loco');
    expect(await detectLayout(box)).toBe('loco');
  });

  it('labels train, validation and test normals and both anomaly types', async () => {
    const result = await scanDataset(root, 'auto');
    expect(result.layout).toBe('loco');
    const boxItems = result.items.filter((i) => i.category === 'breakfast_box');
    expect(boxItems.map((i) => [i.relPath, i.kind, i.origin, i.defectType])).toEqual([
      ['breakfast_box/train/good/000.png', 'normal', 'train', 'good'],
      ['breakfast_box/validation/good/000.png', 'normal', 'validation', 'good'],
      ['breakfast_box/test/good/000.png', 'normal', 'test', 'good'],
      ['breakfast_box/test/logical_anomalies/000.png', 'anomaly', 'test', 'logical_anomalies'],
      ['breakfast_box/test/structural_anomalies/000.png', 'anomaly', 'test', 'structural_anomalies'],
    ]);
  });

  it('keeps the region files of an image in numeric order', async () => {
    const result = await scanDataset(box, 'loco');
    const item = result.items.find((i) => i.relPath === 'test/structural_anomalies/000.png');
    const dir = path.join(box, 'ground_truth/structural_anomalies/000');
    expect(item?.maskPaths).toEqual([path.join(dir, '000.png'), path.join(dir, '2.png'), path.join(dir, '10.png')]);
  });

  it('reports an image without a region folder and a region folder without an image', async () => {
    const result = await scanDataset(box, 'loco');
    expect(result.errors.map((e) => e.file).sort()).toEqual([
      path.join(box, 'ground_truth/structural_anomalies/007'),
      path.join(box, 'test/logical_anomalies/001.png'),
    ]);
    expect(result.errors.find((e) => e.file.endsWith('001.png'))?.reason).toContain('ground_truth/logical_anomalies/001/');
  });

  it('parses defects_config.json and reports one that is not JSON', async () => {
    const result = await scanDataset(root, 'loco');
    expect(result.categories.find((c) => c.name === 'breakfast_box')?.defectsConfig).toEqual(config);
    expect(result.categories.find((c) => c.name === 'juice_bottle')?.defectsConfig).toBeUndefined();
    expect(result.errors.some((e) => e.file === path.join(juice, 'defects_config.json'))).toBe(true);
  });

  it('keeps every region mask and adds their union, equal to the OR of the region files', async () => {
    const result = await scanDataset(box, 'loco');
    const item = result.items.find((i) => i.relPath === 'test/logical_anomalies/000.png')!;
    const decoded = await decodeItem(item, { limitInputPixels: 1e6 });
    expect(decoded.masks.map((m) => [m.role, m.regionIndex, m.area, m.sourceMaxValue])).toEqual([
      ['union', null, 28, null],
      ['region', 0, 16, 255],
      ['region', 1, 16, 200],
    ]);
    expect(decoded.masks[0].sourcePath).toBeNull();
    expect(decoded.masks[2].sourcePath).toBe(path.join(box, 'ground_truth/logical_anomalies/000/001.png'));
    const [union, a, b] = await Promise.all(decoded.masks.map((m) => grayPixels(m.png)));
    for (let i = 0; i < union.length; i++) expect(union[i]).toBe(a[i] || b[i] ? 255 : 0);
  });
});
