/**
 * The one place ONNX Runtime sessions are created (ARCHITECTURE.md "Models"): CUDA execution
 * provider when it loads, CPU otherwise, and the caller always learns which one it got and
 * why a CUDA request ended on the CPU, so the UI can show it. Sessions are handed out as the
 * core's ModelSession (core/onnx/runtime.ts), tensors as plain { type, data, dims }.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type {
  ModelSession,
  OpenedSession,
  Provider,
  SessionDescription,
  SessionOptions,
  Tensor,
  TensorDescription,
} from '../../core/onnx/runtime';

function ortOptions(options: SessionOptions, provider: Provider): ort.InferenceSession.SessionOptions {
  const o: ort.InferenceSession.SessionOptions = {
    executionProviders: provider === 'cuda' ? [{ name: 'cuda', deviceId: 0 }] : ['cpu'],
  };
  if (options.intraOpThreads !== undefined) o.intraOpNumThreads = options.intraOpThreads;
  if (options.interOpThreads !== undefined) o.interOpNumThreads = options.interOpThreads;
  if (options.graphOptimization !== undefined) o.graphOptimizationLevel = options.graphOptimization;
  // The failed CUDA attempt is reported through fallbackReason; ORT's own log line would only repeat it.
  if (provider === 'cuda') o.logSeverityLevel = 4;
  return o;
}

function ortTensor(t: Tensor): ort.Tensor {
  return t instanceof ort.Tensor ? t : new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
}

/** An ONNX Runtime session as the core's ModelSession; output tensors are handed back as they come. */
function modelSession(session: ort.InferenceSession): ModelSession {
  return {
    async run(feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) inputs[name] = ortTensor(t);
      return (await session.run(inputs)) as Record<string, Tensor>;
    },
    describe: () => describeSession(session),
    release: () => session.release(),
  };
}

async function open(model: string | Uint8Array, o: ort.InferenceSession.SessionOptions): Promise<ModelSession> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, o) : await ort.InferenceSession.create(model, o);
  return modelSession(session);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Set once the CUDA provider library itself failed to load: that cannot change while the
 * process runs, so later sessions skip the attempt (and ORT's error log line) and reuse the reason.
 */
let cudaLibraryMissing: string | null = null;

/**
 * Where onnxruntime-node keeps its native libraries, and the CUDA provider library's name there.
 * The CUDA build (ONNXRUNTIME_NODE_INSTALL=cuda12, or the files copied in by hand) puts the
 * provider library beside the binding; the default install has none.
 */
export function cudaProviderLibrary(): { dir: string; file: string } | null {
  let pkg: string;
  try {
    pkg = dirname(require.resolve('onnxruntime-node/package.json'));
  } catch {
    return null;
  }
  const platform = process.platform === 'win32' ? 'win32' : process.platform;
  const dir = join(pkg, 'bin', 'napi-v6', platform, process.arch);
  const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return { dir, file };
}

/**
 * Why CUDA cannot be tried at all, or null when the provider library is present (it may still
 * fail to load, e.g. without the system CUDA 12 / cuDNN 9 libraries; that is reported then).
 * Checking first keeps ORT from printing its own "failed to load library" error on every
 * CPU-only machine.
 */
function cudaNotInstalled(): string | null {
  const lib = cudaProviderLibrary();
  if (!lib || !existsSync(lib.dir)) return null;
  if (existsSync(join(lib.dir, lib.file))) return null;
  return `CUDA execution provider unavailable: the CUDA provider files are not installed (${lib.file} is missing from ${lib.dir}); see the README, "Model packs and GPU"`;
}

/** Opens a session: 'auto' and 'cuda' try the CUDA provider first and fall back to the CPU with the reason. */
export async function createSession(model: string | Uint8Array, options: SessionOptions): Promise<OpenedSession> {
  if (options.provider !== 'cpu') {
    cudaLibraryMissing ??= cudaNotInstalled();
    if (cudaLibraryMissing !== null) {
      const session = await open(model, ortOptions(options, 'cpu'));
      return { session, provider: 'cpu', fallbackReason: cudaLibraryMissing };
    }
    try {
      const session = await open(model, ortOptions(options, 'cuda'));
      return { session, provider: 'cuda', fallbackReason: null };
    } catch (e) {
      const reason = `CUDA execution provider unavailable: ${errorText(e)}`;
      if (/load(ing)? (the )?shared library|providers_(shared|cuda)/i.test(reason)) cudaLibraryMissing = reason;
      const session = await open(model, ortOptions(options, 'cpu'));
      return { session, provider: 'cpu', fallbackReason: reason };
    }
  }
  const session = await open(model, ortOptions(options, 'cpu'));
  return { session, provider: 'cpu', fallbackReason: null };
}

function describeList(names: readonly string[], metadata: readonly unknown[] | undefined): TensorDescription[] {
  return names.map((name, i) => {
    const m = metadata?.[i] as { name?: string; isTensor?: boolean; type?: string; shape?: readonly (number | string)[] } | undefined;
    if (!m || m.name !== name || !m.isTensor) return { name, dtype: m?.isTensor === false ? 'non-tensor' : null, shape: null };
    const shape = m.shape ? m.shape.map((d) => (typeof d === 'number' ? d : d === '' ? null : d)) : null;
    return { name, dtype: m.type ?? null, shape };
  });
}

/**
 * Input and output names, element types and shapes from the session's metadata. onnxruntime-node
 * 1.30 exposes `inputMetadata`/`outputMetadata`; older bindings only `inputNames`/`outputNames`,
 * in which case dtype and shape are null.
 */
function describeSession(session: ort.InferenceSession): SessionDescription {
  const s = session as ort.InferenceSession & { inputMetadata?: readonly unknown[]; outputMetadata?: readonly unknown[] };
  return {
    inputs: describeList(session.inputNames, Array.isArray(s.inputMetadata) ? s.inputMetadata : undefined),
    outputs: describeList(session.outputNames, Array.isArray(s.outputMetadata) ? s.outputMetadata : undefined),
  };
}

function cacheKey(path: string, options: SessionOptions): string {
  return JSON.stringify([path, options.provider, options.intraOpThreads ?? null, options.interOpThreads ?? null, options.graphOptimization ?? null]);
}

/**
 * Sessions keyed by model file and options: a model is loaded once however many generators
 * use it, and memory comes back only when the owner says so.
 */
export class SessionCache {
  private readonly entries = new Map<string, Promise<OpenedSession>>();

  get(path: string, options: SessionOptions): Promise<OpenedSession> {
    const key = cacheKey(path, options);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = createSession(path, options);
      this.entries.set(key, entry);
      // A failed load is not cached, so a later call can retry after the user fixes the file.
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Releases one cached session (all option variants of the path when options are omitted). */
  async release(path: string, options?: SessionOptions): Promise<void> {
    const keys = options ? [cacheKey(path, options)] : [...this.entries.keys()].filter((k) => (JSON.parse(k) as unknown[])[0] === path);
    for (const key of keys) {
      const entry = this.entries.get(key);
      this.entries.delete(key);
      if (entry) await disposeQuietly(entry);
    }
  }

  async releaseAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) await disposeQuietly(entry);
  }
}

async function disposeQuietly(entry: Promise<OpenedSession>): Promise<void> {
  try {
    const { session } = await entry;
    await session.release();
  } catch {
    // A session that never loaded has nothing to release.
  }
}

/** The process-wide cache the engine uses. */
export const sessionCache = new SessionCache();

export function getSession(path: string, options: SessionOptions): Promise<OpenedSession> {
  return sessionCache.get(path, options);
}

export function release(path: string, options?: SessionOptions): Promise<void> {
  return sessionCache.release(path, options);
}

export function releaseAll(): Promise<void> {
  return sessionCache.releaseAll();
}

/** The ONNX Runtime version of this build (the node binding's, else the common library's). */
export function onnxRuntimeVersion(): string {
  const versions = ort.env.versions as { node?: string; common?: string };
  return versions.node ?? versions.common ?? 'unknown';
}

/** The execution-provider backends the installed binding lists, and whether each is bundled. */
export function supportedBackends(): { name: string; bundled: boolean }[] {
  return ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}
