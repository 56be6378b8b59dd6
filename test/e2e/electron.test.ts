import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ProjectInfo } from '../../src-main/api/contract';
import { browseGrid, expectCountsMatch, filterGrid, moveBetweenSplits, openDemo, showErrors, viewImages } from './dataset-scenario';
import { hasElectron, launchElectron, trackFailures, type ElectronSession } from './fixtures';

const title = hasElectron
  ? 'Dataset browser in the Electron app'
  : 'Electron app (skipped: no Electron binary on this machine; installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';

describe.skipIf(!hasElectron)(title, () => {
  let s: ElectronSession | undefined;
  let info: ProjectInfo;
  trackFailures('dataset-electron', () => s);

  beforeAll(async () => {
    s = await launchElectron('dataset-electron');
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
});
