/**
 * system.*: the ONNX Runtime settings of this machine and what they actually give. The
 * provider shown to the user comes from a real session opened through io/onnx-runtime
 * with the stored preference, so a CUDA install that does not load shows up as CPU with the
 * runtime's own reason (ARCHITECTURE.md "Models": the UI always shows which one is in use).
 */
import type { RuntimeInfo } from '../../api/types';
import { tensor, type OpenedSession, type ProviderRequest } from '../../core/onnx/runtime';
import { createSession, onnxRuntimeVersion, supportedBackends } from '../../io/onnx-runtime';
import type { NamespaceHandlers } from '../context';
import { loadSettings, updateSettings } from '../app/settings';
import { listFolders } from './folders';
import { ApiError } from '../../api/errors';

/**
 * The smallest useful ONNX model, `y = Identity(x)` over a float[1] (IR 7, opset 13), as
 * onnx-proto's ModelProto.encode writes it. Kept as bytes so production needs no protobuf
 * library for 82 bytes; test/integration/packs.test.ts re-encodes the same model with
 * onnx-proto and checks these bytes are exactly that.
 */
const IDENTITY_PROBE_MODEL_BASE64 =
  'CAc6SAoQCgF4EgF5IghJZGVudGl0eRISZ2FhLXByb3ZpZGVyLXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

export function identityProbeModel(): Uint8Array {
  return Uint8Array.from(Buffer.from(IDENTITY_PROBE_MODEL_BASE64, 'base64'));
}

type ProbeResult = Pick<OpenedSession, 'provider' | 'fallbackReason'>;

/**
 * Opens (and runs once, then releases) the probe model with the given provider request.
 * Results are kept per request and thread count: whether CUDA loads does not change while
 * the process runs, and a CUDA attempt can take seconds on a GPU machine.
 */
export class ProviderProbe {
  private readonly results = new Map<string, Promise<ProbeResult>>();

  probe(provider: ProviderRequest, intraOpThreads: number | null): Promise<ProbeResult> {
    const key = `${provider}:${intraOpThreads ?? 'default'}`;
    let result = this.results.get(key);
    if (!result) {
      result = runProbe(provider, intraOpThreads);
      this.results.set(key, result);
      result.catch(() => this.results.delete(key));
    }
    return result;
  }
}

async function runProbe(provider: ProviderRequest, intraOpThreads: number | null): Promise<ProbeResult> {
  const opened = await createSession(identityProbeModel(), { provider, intraOpThreads: intraOpThreads ?? undefined });
  try {
    // Running it, not only creating it, so a provider that loads but cannot execute is caught too.
    await opened.session.run({ x: tensor('float32', new Float32Array([1]), [1]) });
  } finally {
    await opened.session.release();
  }
  return { provider: opened.provider, fallbackReason: opened.fallbackReason };
}

export async function runtimeInfo(userDataDir: string, probe: ProviderProbe): Promise<RuntimeInfo> {
  const { settings, warning, file } = loadSettings(userDataDir);
  const threads = settings.intraOpThreads;
  const inUse = await probe.probe(settings.executionProvider, threads);
  // Whether CUDA could be used at all, whatever the preference says.
  const cuda = settings.executionProvider === 'cpu' ? await probe.probe('cuda', threads) : inUse;
  return {
    preference: settings.executionProvider,
    intraOpThreads: threads,
    inUse: inUse.provider,
    fallbackReason: inUse.fallbackReason,
    available: cuda.provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    backends: supportedBackends(),
    onnxruntimeVersion: onnxRuntimeVersion(),
    settingsFile: file,
    settingsWarning: warning,
  };
}

export function systemHandlers(userDataDir: string, probe = new ProviderProbe()): NamespaceHandlers<'system'> {
  return {
    'system.runtime': () => runtimeInfo(userDataDir, probe),
    'system.folders': (a) => listFolders(a.dir),
    'system.pickFolder': () => {
      throw new ApiError('bad_request', 'this host has no native folder dialog: choose the folder in the folder browser');
    },
    'system.setRuntime': (a) => {
      updateSettings(userDataDir, a);
      return runtimeInfo(userDataDir, probe);
    },
  };
}
