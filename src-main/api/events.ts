/**
 * Every push from engine to UI, declared once as an object: the names are its keys, so a front
 * that filters by `eventNames` can never drop an event the engine sends. Zod-free, so the preload
 * can import the names.
 */
import type { JobFinished, JobProgress, PackInstallProgress, ProjectInfo } from './types';

/** An event whose payload type is P (known to the compiler only). */
function payload<P>(): { readonly payload: P } {
  return {} as { readonly payload: P };
}

export const events = {
  'job.progress': payload<JobProgress>(),
  'job.finished': payload<JobFinished>(),
  /** The open project changed (opened, closed, or its contents after a job). */
  'project.changed': payload<ProjectInfo | null>(),
  /** A model pack install's bytes copied so far (throttled to ~10 a second); cancel with `packs.cancelInstall`. */
  'packs.installProgress': payload<PackInstallProgress>(),
};

export type EventName = keyof typeof events;
export type Events = { [E in EventName]: (typeof events)[E]['payload'] };

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
