/** Start of the integration tests that need the real demo images in a project. Test-only. */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DemoSummary } from '../../src-main/io/demo-writer';
import type { Engine } from '../../src-main/engine/engine';
import { sharedDemoDataset } from '../fixtures/demo';

/**
 * Creates a project in `<work>/project` on `engine` and imports the shared demo dataset into it.
 * @returns the demo dataset and the id of its texture category, tile
 */
export async function importDemoProject(engine: Engine, work: string): Promise<{ demo: DemoSummary; tileId: number }> {
  const demo = await sharedDemoDataset();
  await engine.call('project.create', { dir: join(work, 'project') });
  const { jobId } = await engine.call('dataset.import', { source: demo.root, layout: 'mvtec' });
  expect((await engine.waitForJob(jobId)).status).toBe('done');
  const tileId = (await engine.call('project.info', {})).categories.find((c) => c.name === 'tile')!.id;
  return { demo, tileId };
}
