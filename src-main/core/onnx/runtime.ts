/**
 * What the core's models need from a neural-network runtime, as plain data and interfaces:
 * tensors, sessions that run them, and a pack runtime that opens a pack's model files and
 * reads its other files. io/onnx-runtime implements it on ONNX Runtime (ARCHITECTURE.md
 * "Models": CUDA when it loads, CPU otherwise, and the caller learns which).
 */

export type ProviderRequest = 'auto' | 'cuda' | 'cpu';
export type Provider = 'cuda' | 'cpu';

export interface SessionOptions {
  provider: ProviderRequest;
  intraOpThreads?: number;
  interOpThreads?: number;
  /** 'disabled' makes a session that is only read for its metadata (pack validation) quick to build. */
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** A tensor on the CPU: element type name ('float32', 'int64', …), flat row-major data and dimensions. */
export interface Tensor {
  readonly type: string;
  /** A typed array of the element type (Float32Array for 'float32', BigInt64Array for 'int64', …). */
  readonly data: unknown;
  readonly dims: readonly number[];
}

export function tensor(type: 'float32', data: Float32Array, dims: readonly number[]): Tensor;
export function tensor(type: 'int32', data: Int32Array, dims: readonly number[]): Tensor;
export function tensor(type: 'int64', data: BigInt64Array, dims: readonly number[]): Tensor;
export function tensor(type: string, data: unknown, dims: readonly number[]): Tensor {
  return { type, data, dims };
}

export interface TensorDescription {
  name: string;
  /** The runtime's element type name ('float32', 'int64', …); null where the runtime does not say. */
  dtype: string | null;
  /** Fixed dimensions as numbers, symbolic ones by name (or null when unnamed); null where unknown. */
  shape: (number | string | null)[] | null;
}

export interface SessionDescription {
  inputs: TensorDescription[];
  outputs: TensorDescription[];
}

/** One loaded model. */
export interface ModelSession {
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** Input and output names, element types and shapes, as far as the runtime reports them. */
  describe(): SessionDescription;
  release(): Promise<void>;
}

export interface OpenedSession {
  session: ModelSession;
  provider: Provider;
  /** The failed CUDA attempt's error text when CUDA was asked for (or tried by 'auto') and CPU was used. */
  fallbackReason: string | null;
}

/** What a model pack needs from the machine; paths inside a pack are relative, with forward slashes. */
export interface PackRuntime {
  /** A session for one of the pack's model files, shared with every other user of that file and options. */
  session(packDir: string, file: string, options: SessionOptions): Promise<OpenedSession>;
  /** One of the pack's other files (arrays, tokenizer), whole. */
  readFile(packDir: string, file: string): Promise<Uint8Array>;
}
