/**
 * system.*: the ONNX Runtime settings of this machine and what they actually give. The
 * provider shown to the user comes from a real session opened through core/onnx/sessions.ts
 * with the stored preference, so a CUDA install that does not load shows up as CPU with the
 * runtime's own reason (ARCHITECTURE.md "Models": the UI always shows which one is in use).
 */
import { listSupportedBackends } from 'onnxruntime-node';
import type { RuntimeInfo } from '../../api/types';
import { createSession, ort, type OpenedSession, type ProviderRequest } from '../../core/onnx/sessions';
import type { HandlerMap } from '../context';
import { loadSettings, updateSettings } from '../settings';

// Minimal protobuf writer, enough for the probe model below (wire types 0 = varint, 2 = bytes).
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const intField = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
const bytesField = (field: number, bytes: number[]): number[] => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const textField = (field: number, text: string): number[] => bytesField(field, [...Buffer.from(text, 'utf8')]);

/** ValueInfoProto{name, type: TypeProto{tensor_type{elem_type: FLOAT(1), shape{dim{dim_value: 1}}}}}. */
function floatVectorInfo(name: string): number[] {
  const shape = bytesField(1, intField(1, 1));
  const tensorType = [...intField(1, 1), ...bytesField(2, shape)];
  return [...textField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/**
 * The smallest useful ONNX model, `y = Identity(x)` over a float[1], written field by field
 * (onnx.proto3: ModelProto ir_version=1, graph=7, opset_import=8; GraphProto node=1, name=2,
 * input=11, output=12; NodeProto input=1, output=2, op_type=4). Built here rather than read
 * from a file so the probe needs nothing installed.
 */
export function identityProbeModel(): Uint8Array {
  const node = [...textField(1, 'x'), ...textField(2, 'y'), ...textField(4, 'Identity')];
  const graph = [...bytesField(1, node), ...textField(2, 'gaa-provider-probe'), ...bytesField(11, floatVectorInfo('x')), ...bytesField(12, floatVectorInfo('y'))];
  const opset = [...textField(1, ''), ...intField(2, 13)];
  return Uint8Array.from([...intField(1, 7), ...bytesField(7, graph), ...bytesField(8, opset)]);
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
    await opened.session.run({ x: new ort.Tensor('float32', new Float32Array([1]), [1]) });
  } finally {
    await opened.session.release();
  }
  return { provider: opened.provider, fallbackReason: opened.fallbackReason };
}

export function onnxRuntimeVersion(): string {
  const versions = ort.env.versions as { node?: string; common?: string };
  return versions.node ?? versions.common ?? 'unknown';
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
    backends: listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled })),
    onnxruntimeVersion: onnxRuntimeVersion(),
    settingsFile: file,
    settingsWarning: warning,
  };
}

export function systemHandlers(userDataDir: string, probe = new ProviderProbe()): HandlerMap<'system.runtime' | 'system.setRuntime'> {
  return {
    'system.runtime': () => runtimeInfo(userDataDir, probe),
    'system.setRuntime': (a) => {
      updateSettings(userDataDir, a);
      return runtimeInfo(userDataDir, probe);
    },
  };
}
