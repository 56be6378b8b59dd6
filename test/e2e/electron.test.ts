import { afterAll, beforeAll, describe } from 'vitest';
import { datasetScenarioTests } from './dataset-scenario';
import { hasElectron, launchElectron, trackFailures, type ElectronSession } from './fixtures';

const title = hasElectron
  ? 'Dataset browser in the Electron app'
  : 'Electron app (skipped: no Electron binary on this machine; installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';

describe.skipIf(!hasElectron)(title, () => {
  let s: ElectronSession | undefined;
  trackFailures(() => s);

  beforeAll(async () => {
    s = await launchElectron('dataset-electron');
  });
  afterAll(async () => {
    await s?.close();
  });

  datasetScenarioTests(() => s!);
});
