/**
 * A tiny segment-anything pack with the input and output names of SAM's ONNX export, whose
 * decoder does something checkable: it selects the pixels whose brightness is close to the
 * brightness at the clicked points.
 *
 * Encoder: image_embeddings[0, 0, y, x] = mean over RGB of the un-normalised pixel / 255 (a 1×1
 * conv undoing SAM's normalisation), so a pixel's embedding is its gray level in [0, 1].
 * Decoder: for each point n, e_n = the embedding at the point (softmax attention over pixel
 * centres, σ² = 0.05, i.e. the nearest pixel), D_n = |E − e_n|, s_n = +1 for label ≥ 1, −1 for
 * label 0, 0 for the padding label −1; masks = Σ_n s_n · (0.5 − D_n), one [1, 1, S, S] mask.
 * So a single positive click inside a flat region selects every pixel within 0.5 of its gray.
 */
import { onnx } from 'onnx-proto';
import { SAM_PIXEL_MEAN, SAM_PIXEL_STD } from '../../../../src-main/core/onnx/segmenter';
import { writePack } from './tiny-packs';

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

function valueInfo(name: string, shape: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: DT.FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

const f32 = (name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto => ({ name, dims, dataType: DT.FLOAT, floatData: Array.from(values) });
const i64 = (name: string, values: number[]): onnx.ITensorProto => ({ name, dims: [values.length], dataType: DT.INT64, int64Data: values });

function node(opType: string, input: string[], output: string[], attrs: Record<string, number | number[]> = {}): onnx.INodeProto {
  const attribute = Object.entries(attrs).map(([name, v]): onnx.IAttributeProto => (Array.isArray(v) ? { name, type: AT.INTS, ints: v } : { name, type: AT.INT, i: v }));
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` };
}

function model(nodes: onnx.INodeProto[], inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[], initializer: onnx.ITensorProto[]): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'gaa-tiny-test',
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'tiny-sam', node: nodes, input: inputs, output: outputs, initializer },
    }),
  ).finish();
}

export function samEncoderModel(size: number): Uint8Array {
  const w = [0, 1, 2].map((c) => SAM_PIXEL_STD[c] / (3 * 255));
  const b = [0, 1, 2].reduce((s, c) => s + SAM_PIXEL_MEAN[c] / (3 * 255), 0);
  return model(
    [node('Conv', ['image', 'W', 'B'], ['image_embeddings'])],
    [valueInfo('image', [1, 3, size, size])],
    [valueInfo('image_embeddings', [1, 1, size, size])],
    [f32('W', [1, 3, 1, 1], w), f32('B', [1], [b])],
  );
}

export function samDecoderModel(size: number): Uint8Array {
  const hw = size * size;
  const centres = new Float32Array(hw * 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      centres[(y * size + x) * 2] = x + 0.5;
      centres[(y * size + x) * 2 + 1] = y + 0.5;
    }
  }
  return model(
    [
      node('Reshape', ['point_coords', 'shape_n12'], ['pc']),
      node('Sub', ['pc', 'centres'], ['d']),
      node('Mul', ['d', 'd'], ['d2']),
      node('ReduceSum', ['d2', 'axis2'], ['sq'], { keepdims: 0 }),
      node('Mul', ['sq', 'neg_inv_var'], ['att_logits']),
      node('Softmax', ['att_logits'], ['att'], { axis: 1 }),
      node('Reshape', ['image_embeddings', 'shape_hw1'], ['e_col']),
      node('MatMul', ['att', 'e_col'], ['e_points']),
      node('Reshape', ['image_embeddings', 'shape_1hw'], ['e_row']),
      node('Sub', ['e_row', 'e_points'], ['diff']),
      node('Abs', ['diff'], ['dist']),
      node('Sub', ['tau', 'dist'], ['vote']),
      node('Reshape', ['point_labels', 'shape_n1'], ['lab']),
      node('GreaterOrEqual', ['lab', 'one'], ['is_pos']),
      node('Equal', ['lab', 'zero'], ['is_neg']),
      node('Cast', ['is_pos'], ['pos'], { to: DT.FLOAT }),
      node('Cast', ['is_neg'], ['neg'], { to: DT.FLOAT }),
      node('Sub', ['pos', 'neg'], ['sign']),
      node('Mul', ['vote', 'sign'], ['signed']),
      node('ReduceSum', ['signed', 'axis0'], ['summed'], { keepdims: 1 }),
      node('Reshape', ['summed', 'shape_mask'], ['masks']),
    ],
    [
      valueInfo('image_embeddings', [1, 1, size, size]),
      valueInfo('point_coords', [1, 'points', 2]),
      valueInfo('point_labels', [1, 'points']),
      valueInfo('mask_input', [1, 1, 4 * size, 4 * size]),
      valueInfo('has_mask_input', [1]),
    ],
    [valueInfo('masks', [1, 1, size, size])],
    [
      i64('shape_n12', [-1, 1, 2]),
      f32('centres', [1, hw, 2], centres),
      i64('axis2', [2]),
      f32('neg_inv_var', [], [-1 / 0.05]),
      i64('shape_hw1', [hw, 1]),
      i64('shape_1hw', [1, hw]),
      f32('tau', [], [0.5]),
      i64('shape_n1', [-1, 1]),
      f32('one', [], [1]),
      f32('zero', [], [0]),
      i64('axis0', [0]),
      i64('shape_mask', [1, 1, size, size]),
    ],
  );
}

export const SAM_SIZE = 16;

/** Writes the tiny SAM-style segmenter pack (encoder side SAM_SIZE) into `dir`. */
export function writeTinySamPack(dir: string, name = 'tiny-sam'): string {
  const t = (n: string, shape: (number | string)[]) => ({ name: n, dtype: 'float32', shape });
  return writePack(
    dir,
    {
      name,
      kind: 'segmenter',
      version: '1',
      licence: 'CC0-1.0',
      models: {
        image_encoder: { file: 'encoder.onnx', inputs: [t('image', [1, 3, SAM_SIZE, SAM_SIZE])], outputs: [t('image_embeddings', [1, 1, SAM_SIZE, SAM_SIZE])] },
        prompt_decoder: {
          file: 'decoder.onnx',
          inputs: [
            t('image_embeddings', [1, 1, SAM_SIZE, SAM_SIZE]),
            t('point_coords', [1, 'points', 2]),
            t('point_labels', [1, 'points']),
            t('mask_input', [1, 1, 4 * SAM_SIZE, 4 * SAM_SIZE]),
            t('has_mask_input', [1]),
          ],
          outputs: [t('masks', [1, 1, SAM_SIZE, SAM_SIZE])],
        },
      },
    },
    { 'encoder.onnx': samEncoderModel(SAM_SIZE), 'decoder.onnx': samDecoderModel(SAM_SIZE) },
  );
}
