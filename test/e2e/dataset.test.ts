import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetScenarioTests } from './dataset-scenario';
import { openWebSession, trackFailures, type WebSession } from './fixtures';

describe('Dataset browser in Chromium through the web host', () => {
  let s: WebSession | undefined;
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('dataset-web');
  });
  afterAll(async () => {
    await s?.close();
  });

  datasetScenarioTests(() => s!);
  it('ran the whole scenario without a CSP violation, console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
