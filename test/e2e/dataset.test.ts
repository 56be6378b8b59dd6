import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../src-main/api/contract';
import { browseGrid, expectCountsMatch, filterGrid, moveBetweenSplits, openDemo, showErrors, viewImages } from './dataset-scenario';
import { openWebSession, trackFailures, type WebSession } from './fixtures';

describe('Dataset browser in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let info: ProjectInfo;
  trackFailures('dataset-web', () => s);

  beforeAll(async () => {
    s = await openWebSession('dataset-web');
  });
  afterAll(async () => {
    await s?.close();
  });

  // The first demo generates and imports the dataset: minutes on a loaded two-core machine.
  it('opens the demo project from the start screen and waits for its import', async () => {
    info = await openDemo(s!);
  }, 420_000);
  it('shows the same counts per category and defect type as project.info', async () => {
    await expectCountsMatch(s!, info, info.totals.normal + info.totals.anomaly);
  });
  it('loads thumbnails and scrolls the grid to the last image', async () => {
    await browseGrid(s!, info);
  });
  it('filters to anomalies and to one defect type', async () => {
    await filterGrid(s!, info);
  });
  it('opens an image, overlays its mask, zooms and steps with the arrow keys', async () => {
    await viewImages(s!);
  });
  it('moves an anomaly between the few-shot and held-out sets', async () => {
    await moveBetweenSplits(s!);
  });
  it('lists the per-item errors the engine reports', async () => {
    await showErrors(s!, info);
  });
  it('ran the whole scenario without a CSP violation, console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
