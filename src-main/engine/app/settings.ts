/**
 * App-level settings and where app-level model packs live (ARCHITECTURE.md "Models"). Both
 * sit in the user-data folder, never in a project: a pack or a GPU preference belongs to the
 * machine, not to one dataset.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SETTINGS_FILE = 'settings.json';

export const providerPreferences = ['auto', 'cuda', 'cpu'] as const;

/** Upper bound for ONNX Runtime's intra-op thread pool; beyond any workstation this app targets. */
export const MAX_THREADS = 256;

const settingsSchema = z.object({
  /** 'auto' tries CUDA then falls back to the CPU; 'cuda' is the same but the fallback is unexpected. */
  executionProvider: z.enum(providerPreferences).default('auto'),
  /** null lets ONNX Runtime size its pool to the machine's cores. */
  intraOpThreads: z.number().int().min(1).max(MAX_THREADS).nullable().default(null),
  /** The most bytes a model pack's files may add up to (unset: 32 GiB); an install over it is refused before anything is copied. */
  maxPackBytes: z.number().int().min(1).optional(),
});

export type AppSettings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = Object.freeze(settingsSchema.parse({}));

export interface LoadedSettings {
  settings: AppSettings;
  /** Why the file was not used (damaged JSON, a bad value), naming the file; null when read fine or absent. */
  warning: string | null;
  file: string;
}

export function settingsPath(userDataDir: string): string {
  return join(userDataDir, SETTINGS_FILE);
}

/** Where installed model packs live for this user-data folder. */
export function packsDir(userDataDir: string): string {
  return join(userDataDir, 'packs');
}

/**
 * Reads settings.json. A missing file means defaults; a damaged one means defaults plus a
 * warning, never a crash: a hand-edited file must not keep the app from starting.
 */
export function loadSettings(userDataDir: string): LoadedSettings {
  const file = settingsPath(userDataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS }, warning: null, file };
    return { settings: { ...DEFAULT_SETTINGS }, warning: `${file} could not be read (${(e as Error).message}); using defaults`, file };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { settings: { ...DEFAULT_SETTINGS }, warning: `${file} is not valid JSON (${(e as Error).message}); using defaults`, file };
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
    return { settings: { ...DEFAULT_SETTINGS }, warning: `${file} has invalid settings (${problems}); using defaults`, file };
  }
  return { settings: parsed.data, warning: null, file };
}

/**
 * Writes settings.json atomically: a temporary file in the same folder renamed over the old
 * one, so a crash mid-write leaves either the old settings or the new ones, never half a file.
 */
export function saveSettings(userDataDir: string, settings: z.input<typeof settingsSchema>): AppSettings {
  const valid = settingsSchema.parse(settings);
  const file = settingsPath(userDataDir);
  mkdirSync(userDataDir, { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return valid;
}

/** Applies a partial change on top of what is stored (defaults when the stored file is damaged). */
export function updateSettings(userDataDir: string, change: Partial<AppSettings>): AppSettings {
  const { settings } = loadSettings(userDataDir);
  const next = { ...settings };
  if (change.executionProvider !== undefined) next.executionProvider = change.executionProvider;
  if (change.intraOpThreads !== undefined) next.intraOpThreads = change.intraOpThreads;
  if (change.maxPackBytes !== undefined) next.maxPackBytes = change.maxPackBytes;
  return saveSettings(userDataDir, next);
}

/** The ONNX Runtime session options the user chose, for code that opens sessions (io/onnx-runtime). */
export function sessionPreferences(userDataDir: string): { provider: AppSettings['executionProvider']; intraOpThreads?: number } {
  const { settings } = loadSettings(userDataDir);
  return settings.intraOpThreads === null
    ? { provider: settings.executionProvider }
    : { provider: settings.executionProvider, intraOpThreads: settings.intraOpThreads };
}
