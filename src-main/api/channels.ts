/**
 * The names of every request and every event, as plain strings: all the preload needs to bind
 * its channels, without the zod schemas of contract.ts (which checks, at compile time, that this
 * list is exactly its requests' keys).
 */
export { eventNames, isEventName, type EventName } from './events';

export const requestNames = [
  'app.info',
  'project.create',
  'project.open',
  'project.openDemo',
  'project.close',
  'project.info',
  'project.compact',
  'dataset.import',
  'dataset.listImages',
  'dataset.image',
  'dataset.errors',
  'dataset.setFewShot',
  'dataset.resplit',
  'clusters.run',
  'clusters.get',
  'clusters.rename',
  'clusters.merge',
  'clusters.split',
  'clusters.move',
  'clusters.setLock',
  'clusters.setRule',
  'clusters.undo',
  'clusters.redo',
  'regions.get',
  'regions.create',
  'regions.saveLabel',
  'regions.ofImage',
  'regions.importFolder',
  'regions.propagate',
  'regions.segment',
  'regions.review',
  'masks.generate',
  'masks.list',
  'masks.placement',
  'synth.clusters',
  'synth.run',
  'samples.list',
  'samples.decide',
  'score.run',
  'score.info',
  'samples.filter',
  'value.run',
  'export.run',
  'export.preview',
  'export.openFolder',
  'jobs.list',
  'jobs.cancel',
  'jobs.resume',
  'jobs.wait',
  'packs.list',
  'packs.install',
  'packs.cancelInstall',
  'packs.remove',
  'system.runtime',
  'system.setRuntime',
  'concepts.exportBundle',
  'concepts.import',
  'concepts.get',
] as const;

export type RequestChannelName = (typeof requestNames)[number];

export function isRequestChannelName(name: unknown): name is RequestChannelName {
  return typeof name === 'string' && (requestNames as readonly string[]).includes(name);
}
