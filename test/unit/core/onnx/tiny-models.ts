/**
 * Tiny ONNX graphs with the exact input and output names of the real exports, built with
 * onnx-proto so pack and generator code runs end to end on the CPU without any weights.
 */
import { onnx } from 'onnx-proto';

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
type Dim = number | string;
type ElemType = 'float32' | 'int64' | 'int32';
const ELEM: Record<ElemType, number> = { float32: DT.FLOAT, int64: DT.INT64, int32: DT.INT32 };

function valueInfo(name: string, type: ElemType, shape: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[type], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function floatInit(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  return { name, dims, dataType: DT.FLOAT, floatData: Array.from(values) };
}

function int64Init(name: string, values: number[]): onnx.ITensorProto {
  return { name, dims: [values.length], dataType: DT.INT64, int64Data: values };
}

type Attr = { ints: number[] } | { i: number } | { s: string } | { f: number };

function node(opType: string, input: string[], output: string[], attrs: Record<string, Attr> = {}): onnx.INodeProto {
  const attribute = Object.entries(attrs).map(([name, a]): onnx.IAttributeProto => {
    if ('ints' in a) return { name, type: AT.INTS, ints: a.ints };
    if ('i' in a) return { name, type: AT.INT, i: a.i };
    if ('f' in a) return { name, type: AT.FLOAT, f: a.f };
    return { name, type: AT.STRING, s: new TextEncoder().encode(a.s) };
  });
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` };
}

function model(
  nodes: onnx.INodeProto[],
  inputs: onnx.IValueInfoProto[],
  outputs: onnx.IValueInfoProto[],
  initializer: onnx.ITensorProto[] = [],
): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'gaa-tiny-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'tiny', node: nodes, input: inputs, output: outputs, initializer },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** A deterministic small weight pattern: w_k = scale · sin(k + phase). */
export function weights(count: number, scale: number, phase = 0): Float32Array {
  const w = new Float32Array(count);
  for (let k = 0; k < count; k++) w[k] = scale * Math.sin(k + phase);
  return w;
}

/** last_hidden_state = inputs_embeds · W, W = ½·I + a small pattern. */
export function textEncoderModel(dim: number, maxLength = 77): Uint8Array {
  const w = weights(dim * dim, 0.05);
  for (let i = 0; i < dim; i++) w[i * dim + i] += 0.5;
  return model(
    [node('MatMul', ['inputs_embeds', 'W'], ['last_hidden_state'])],
    [valueInfo('inputs_embeds', 'float32', ['batch', maxLength, dim])],
    [valueInfo('last_hidden_state', 'float32', ['batch', maxLength, dim])],
    [floatInit('W', [dim, dim], w)],
  );
}

/** ε = 0.1·sample + mean(encoder_hidden_states) + 0.001·float(timestep). */
export function unetModel(dim: number, latent: number, timestep: ElemType = 'int64', maxLength = 77, inputNames = ['sample', 'timestep', 'encoder_hidden_states']): Uint8Array {
  const [sample, ts, ehs] = inputNames;
  return model(
    [
      node('ReduceMean', [ehs], ['m'], { axes: { ints: [1, 2] }, keepdims: { i: 1 } }),
      node('Cast', [ts], ['tf'], { to: { i: DT.FLOAT } }),
      node('Mul', ['tf', 'k_t'], ['tt']),
      node('Mul', [sample, 'k_s'], ['ss']),
      node('Add', ['ss', 'm'], ['sm']),
      node('Add', ['sm', 'tt'], ['out_sample']),
    ],
    [valueInfo(sample, 'float32', ['batch', 4, latent, latent]), valueInfo(ts, timestep, [1]), valueInfo(ehs, 'float32', ['batch', maxLength, dim])],
    [valueInfo('out_sample', 'float32', ['batch', 4, latent, latent])],
    [floatInit('k_t', [], [0.001]), floatInit('k_s', [], [0.1])],
  );
}

/** latent_sample = 1×1 conv (3 → 4) of an 8×8 average pool. */
export function vaeEncoderModel(size: number): Uint8Array {
  return model(
    [
      node('AveragePool', ['sample'], ['p'], { kernel_shape: { ints: [8, 8] }, strides: { ints: [8, 8] } }),
      node('Conv', ['p', 'W', 'B'], ['latent_sample']),
    ],
    [valueInfo('sample', 'float32', ['batch', 3, size, size])],
    [valueInfo('latent_sample', 'float32', ['batch', 4, size / 8, size / 8])],
    [floatInit('W', [4, 3, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.3, 0.3, 0.3]), floatInit('B', [4], [0, 0, 0, 0.1])],
  );
}

/** sample = tanh(1×1 conv (4 → 3) of a nearest ×8 upsampling). */
export function vaeDecoderModel(size: number): Uint8Array {
  return model(
    [
      node('Resize', ['latent_sample', '', 'scales'], ['u'], { mode: { s: 'nearest' } }),
      node('Conv', ['u', 'W'], ['c']),
      node('Tanh', ['c'], ['sample']),
    ],
    [valueInfo('latent_sample', 'float32', ['batch', 4, size / 8, size / 8])],
    [valueInfo('sample', 'float32', ['batch', 3, size, size])],
    [floatInit('scales', [4], [1, 1, 8, 8]), floatInit('W', [3, 4, 1, 1], [1, 0, 0, 0.5, 0, 1, 0, 0.5, 0, 0, 1, 0.5])],
  );
}

/** e_p = reshape(mean(mask) · W + B, [1, tokens, dim]). */
export function positionEncoderModel(maskSize: number, dim: number, tokens = 4): Uint8Array {
  return model(
    [
      node('ReduceMean', ['mask'], ['m'], { axes: { ints: [2, 3] }, keepdims: { i: 0 } }),
      node('MatMul', ['m', 'W'], ['p']),
      node('Add', ['p', 'B'], ['q']),
      node('Reshape', ['q', 'shape'], ['e_p']),
    ],
    [valueInfo('mask', 'float32', [1, 1, maskSize, maskSize])],
    [valueInfo('e_p', 'float32', [1, tokens, dim])],
    [floatInit('W', [1, tokens * dim], weights(tokens * dim, 2, 1)), floatInit('B', [tokens * dim], weights(tokens * dim, 0.2, 2)), int64Init('shape', [1, tokens, dim])],
  );
}

/** features = 3×3 conv (3 → 2) of the image. */
export function backboneModel(size: number): Uint8Array {
  return model(
    [node('Conv', ['image', 'W'], ['features'], { pads: { ints: [1, 1, 1, 1] } })],
    [valueInfo('image', 'float32', [1, 3, size, size])],
    [valueInfo('features', 'float32', [1, 2, size, size])],
    [floatInit('W', [2, 3, 3, 3], weights(54, 0.1))],
  );
}

export function segmenterEncoderModel(size: number): Uint8Array {
  return model(
    [node('Conv', ['image', 'W'], ['image_embeddings'])],
    [valueInfo('image', 'float32', [1, 3, size, size])],
    [valueInfo('image_embeddings', 'float32', [1, 2, size, size])],
    [floatInit('W', [2, 3, 1, 1], weights(6, 0.5))],
  );
}

/** masks = sigmoid(image_embeddings + mean(point_coords)). */
export function segmenterDecoderModel(size: number): Uint8Array {
  return model(
    [
      node('ReduceMean', ['point_coords'], ['m'], { keepdims: { i: 1 } }),
      node('Add', ['image_embeddings', 'm'], ['a']),
      node('Sigmoid', ['a'], ['masks']),
    ],
    [valueInfo('image_embeddings', 'float32', [1, 2, size, size]), valueInfo('point_coords', 'float32', [1, 'points', 2])],
    [valueInfo('masks', 'float32', [1, 2, size, size])],
  );
}
