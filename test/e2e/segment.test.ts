import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPack } from '../../src-main/io/packs';
import { writeTinySamPack } from '../unit/core/onnx/tiny-sam';
import { importFromStartScreen, openWebSession, screenshot, tempDir, trackFailures, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
type XY = [number, number];

// 64×64 normal images, black with a white 32×24 rectangle at (16, 16). With the tiny SAM pack
// (encoder side 16, i.e. ×1/4 exactly, see tiny-sam.ts) a click inside it segments the
// rectangle: its edges fall on encoder cells and the ±0.5 logits, bilinearly upsampled, cross 0
// exactly at the edges, except at the four corner pixels, where the weight of the one inside
// cell is 0.625² and the logit −0.5 + 0.625² < 0.
const RECT = { x: 16, y: 16, w: 32, h: 24 };
const RECT_AREA = RECT.w * RECT.h - 4;

async function writeDataset(root: string): Promise<void> {
  const cat = join(root, 'plate');
  for (const d of ['train/good', 'test/good', 'test/dent', 'ground_truth/dent']) mkdirSync(join(cat, d), { recursive: true });
  const px = Buffer.alloc(64 * 64 * 3);
  for (let y = RECT.y; y < RECT.y + RECT.h; y++) px.fill(255, (y * 64 + RECT.x) * 3, (y * 64 + RECT.x + RECT.w) * 3);
  // The import keeps one copy of identical files: one dark corner pixel differs per image.
  let n = 0;
  const png = () => {
    const copy = Buffer.from(px);
    copy.fill(++n * 8, (64 * 64 - 1) * 3);
    return sharp(copy, { raw: { width: 64, height: 64, channels: 3 } }).png();
  };
  await png().toFile(join(cat, 'train/good/000.png'));
  await png().toFile(join(cat, 'train/good/001.png'));
  await png().toFile(join(cat, 'test/good/000.png'));
  await png().toFile(join(cat, 'test/dent/000.png'));
  const m = Buffer.alloc(64 * 64);
  m.fill(255, 2 * 64, 6 * 64);
  await sharp(m, { raw: { width: 64, height: 64, channels: 1 } }).png().toFile(join(cat, 'ground_truth/dent/000_mask.png'));
}

describe('The Segment tool of the region editor, through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('segment-data');
    await writeDataset(join(work, 'dataset'));
    s = await openWebSession('segment-web');
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const editor = () => s!.page.locator(tid('region-editor'));
  const opsOf = async () => JSON.parse((await editor().getAttribute('data-ops')) ?? '{}') as Record<string, number>;
  const areaOf = async () => Number(await s!.page.locator(`${tid('editor-area')}[data-region="plate"]`).getAttribute('data-area'));
  async function toScreen([x, y]: XY): Promise<XY> {
    const box = (await s!.page.locator(`${tid('region-stage')} canvas.upper-canvas`).boundingBox())!;
    const [a, , , d, e, f] = ((await editor().getAttribute('data-vpt')) ?? '').split(',').map(Number);
    return [box.x + e + x * a, box.y + f + y * d];
  }
  async function openImage(imageId: number): Promise<void> {
    await s!.page.locator(`${tid('region-image')}[data-image-id="${imageId}"]`).click();
    await s!.page.locator(`${tid('region-editor')}[data-ready="true"][data-image-id="${imageId}"]`).waitFor();
  }

  it('hides Segment without a segmenter pack, shows it once one is installed, and commits a click as one undoable edit', async () => {
    const { page } = s!;
    await importFromStartScreen(s!, join(work, 'dataset'), join(work, 'project'));
    const normals = (await s!.call('dataset.listImages', { kind: 'normal', split: 'train', limit: 10, offset: 0 })).items;
    const categoryId = normals[0].categoryId;

    await page.locator(tid('nav-regions')).click();
    await page.locator(tid('regions-pick-category')).waitFor();
    await page.locator(tid('category-picker')).selectOption(String(categoryId));
    await page.locator(tid('region-new-name')).fill('plate');
    await page.locator(tid('region-new')).click();
    await page.locator(`${tid('region-item')}[data-region="plate"][data-active="true"]`).waitFor();

    await openImage(normals[0].id);
    expect(await page.locator(tid('tool-polygon')).count()).toBe(1);
    expect(await page.locator(tid('tool-segment')).count()).toBe(0);
    await page.keyboard.press('s');
    expect(await editor().getAttribute('data-tool')).toBe('polygon');

    await installPack(writeTinySamPack(join(work, 'sam')), join(s!.userDataDir, 'packs'));
    await openImage(normals[1].id);
    await page.locator(tid('tool-segment')).waitFor();
    await page.keyboard.press('s');
    await editor().and(page.locator('[data-tool="segment"]')).waitFor();

    await page.mouse.click(...(await toScreen([RECT.x + 10, RECT.y + 10])));
    await editor().and(page.locator(`[data-segment-points="1"][data-segment-busy="false"]`)).waitFor();
    expect(Number(await editor().getAttribute('data-segment-area'))).toBe(RECT_AREA);
    await screenshot(page, 'segment-preview');
    // Nothing is committed until Enter.
    expect(await opsOf()).toEqual({ plate: 0 });
    await page.keyboard.press('Enter');
    await expect.poll(opsOf).toEqual({ plate: 1 });
    await expect.poll(areaOf).toBe(RECT_AREA);
    expect(await editor().getAttribute('data-segment-points')).toBe('0');

    await page.keyboard.press('Control+z');
    await expect.poll(areaOf).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(areaOf).toBe(RECT_AREA);

    // A right-click on the black background is an exclude point: the tiny decoder then keeps
    // the rectangle (0.5 − (0.5 − 1) > 0) and still drops the background, so the preview is unchanged.
    await page.mouse.click(...(await toScreen([RECT.x + 5, RECT.y + 5])));
    await page.mouse.click(...(await toScreen([4, 60])), { button: 'right' });
    await editor().and(page.locator(`[data-segment-points="2"][data-segment-busy="false"]`)).waitFor();
    expect(Number(await editor().getAttribute('data-segment-area'))).toBe(RECT_AREA);
    // Alt+Enter cuts the preview out of the region: it was all of it.
    await page.keyboard.press('Alt+Enter');
    await expect.poll(opsOf).toEqual({ plate: 2 });
    await expect.poll(areaOf).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(areaOf).toBe(RECT_AREA);

    await page.keyboard.press('Control+s');
    await editor().and(page.locator('[data-dirty="false"]')).waitFor();
    const stored = (await s!.call('regions.ofImage', { imageId: normals[1].id })).regions.find((r) => r.region === 'plate');
    expect(stored?.area).toBe(RECT_AREA);
    expect(s!.pageErrors).toEqual([]);
  });
});
