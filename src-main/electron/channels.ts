/**
 * The IPC channels between main and the preload, derived from the contract: one invoke
 * channel per request name, one push channel for every event. Imported by both sides, so it
 * must stay free of Electron and Node imports.
 */
import type { RequestName, WireError } from '../api/contract';

export const invokeChannelPrefix = 'gaa:';
export const eventChannel = 'gaa:event';
export const imageScheme = 'gaa-img';
/** The single host of image URLs: `gaa-img://project/<refPath>`. */
export const imageHost = 'project';

export function invokeChannel(name: RequestName): string {
  return invokeChannelPrefix + name;
}

/**
 * What an invoke handler returns. Errors travel as a value because Electron flattens a
 * thrown error into an `Error invoking remote method …` string and drops its code.
 */
export type InvokeReply = { ok: true; result: unknown } | { ok: false; error: WireError };
