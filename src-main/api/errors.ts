/**
 * Errors as the contract knows them: a code for programs and a message naming the file or field
 * and what is wrong. Zod-free, so the preload and the renderer can import it.
 */

export const apiErrorCodes = ['bad_request', 'not_found', 'no_project', 'conflict', 'io', 'internal'] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** An error meant for the user: code for programs, message naming the file/field and what is wrong. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What crosses a process boundary when a request fails. */
export interface WireError {
  code: ApiErrorCode;
  message: string;
}

export function isApiErrorCode(v: unknown): v is ApiErrorCode {
  return typeof v === 'string' && (apiErrorCodes as readonly string[]).includes(v);
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && isApiErrorCode((err as WireError).code)) {
    const e = err as WireError;
    return { code: e.code, message: String(e.message) };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Electron's contextBridge hands the page a copy of a thrown Error with its `message` only, so
 * the preload carries the code inside the message (`gaa:no_project: no project is open`) and the
 * renderer takes it out again with `fromBridgeError`.
 */
export function bridgeErrorMessage(e: WireError): string {
  return `gaa:${e.code}: ${e.message}`;
}

const BRIDGED = /^gaa:([a-z_]+): ([\s\S]*)$/;

/** The code and message of an error that crossed the contextBridge; code `internal` for any other error. */
export function fromBridgeError(err: unknown): WireError {
  const message = err instanceof Error ? err.message : String(err);
  const m = BRIDGED.exec(message);
  return m && isApiErrorCode(m[1]) ? { code: m[1], message: m[2] } : { code: 'internal', message };
}
