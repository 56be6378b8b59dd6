/**
 * A `segmenter` model pack, segment-anything style (ARCHITECTURE.md "Models"): the image
 * encoder runs once per image (its embedding kept in a small LRU cache by image key), the
 * prompt decoder once per click set, and the result is a binary mask at the image's size.
 *
 * Conventions are those of SAM's ONNX export (segment-anything `scripts/export_onnx_model.py`
 * and its predictor), so a real SAM pack works as exported:
 * - encoder input `image`: [1, 3, S, S]; the image's longer side resized to S (S = the pack's
 *   `inputSize`, else the encoder's declared input side, else 1024), normalised with SAM's
 *   pixel mean/std (on 0-255), zero-padded right and bottom;
 * - decoder inputs, each fed when the model declares it: `image_embeddings`, `point_coords`
 *   [1, N, 2] in that resized frame, `point_labels` [1, N] (1 positive, 0 negative, 2/3 box
 *   corners, −1 the padding point SAM expects when there is no box), `mask_input` (zeros)
 *   with `has_mask_input` = 0, and `orig_im_size` [h, w];
 * - decoder output `masks`: logits, [1, K, H, W]; with several masks the one with the highest
 *   `iou_predictions` is used (the first when there is none). When the decoder takes
 *   `orig_im_size` its masks cover the original image; otherwise they cover the padded
 *   encoder frame, whose image part is cropped out. Either way the logits are bilinearly
 *   resized to the image and thresholded at 0.
 */
import type { Mask, Raster } from '../image/raster';
import type { InstalledPack } from './packs';
import type { ModelSpec, SegmenterPackManifest } from './pack-schema';
import { tensor, type OpenedSession, type PackRuntime, type ProviderRequest, type Tensor } from './runtime';
import { resizePlanes } from './tensor-image';

export type SegmenterPack = InstalledPack<SegmenterPackManifest>;

export function asSegmenterPack(pack: InstalledPack): SegmenterPack {
  if (pack.manifest.kind !== 'segmenter') throw new Error(`pack '${pack.name}' is a ${pack.kind} pack, not a segmenter`);
  return pack as SegmenterPack;
}

/** SAM's normalisation, on 0-255 RGB (segment_anything/modeling/sam.py). */
export const SAM_PIXEL_MEAN = [123.675, 116.28, 103.53] as const;
export const SAM_PIXEL_STD = [58.395, 57.12, 57.375] as const;
const DEFAULT_INPUT_SIZE = 1024;

export interface SegmentPoint {
  x: number;
  y: number;
  positive: boolean;
}

export interface SegmentBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface SegmenterOptions {
  /** Opens the pack's models (sessions shared through the runtime's cache). */
  runtime: PackRuntime;
  provider?: ProviderRequest;
  intraOpThreads?: number;
  /** Image embeddings kept (each is C·h·w floats, 4 MiB for SAM ViT-B); default 4. */
  cacheSize?: number;
}

export interface Segmenter {
  readonly pack: SegmenterPack;
  /** The binary mask (0/255) for one click set on an image; `imageKey` identifies the image for the embedding cache. */
  segment(imageKey: string, image: Raster, prompt: { points: readonly SegmentPoint[]; box?: SegmentBox }): Promise<Mask>;
  /** How many times the encoder ran, and how many prompts reused a cached embedding. */
  stats(): { encoderRuns: number; cacheHits: number };
  /** Drops every cached embedding (the sessions stay in the session cache). */
  clear(): void;
}

interface Embedding {
  tensor: Tensor;
  /** The image's size inside the S×S encoder frame. */
  resizedW: number;
  resizedH: number;
  width: number;
  height: number;
}

function hasInput(spec: ModelSpec, name: string): boolean {
  return spec.inputs.some((t) => t.name === name);
}

/** SAM's ResizeLongestSide: the resized image's size for an encoder side of `size`. */
export function resizedSize(width: number, height: number, size: number): { w: number; h: number } {
  const scale = size / Math.max(width, height);
  return { w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) };
}

/** The encoder's `image`: longer side resized to `size`, SAM-normalised, zero-padded right and bottom. */
export function encoderInput(image: Raster, size: number): Float32Array {
  const { width: w, height: h, channels: ch, data } = image;
  const planes = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) planes[c * w * h + i] = ch >= 3 ? data[i * ch + c] : data[i * ch];
  }
  const r = resizedSize(w, h, size);
  const resized = r.w === w && r.h === h ? planes : resizePlanes(planes, 3, w, h, r.w, r.h);
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < r.h; y++) {
      for (let x = 0; x < r.w; x++) {
        out[c * size * size + y * size + x] = (resized[c * r.w * r.h + y * r.w + x] - SAM_PIXEL_MEAN[c]) / SAM_PIXEL_STD[c];
      }
    }
  }
  return out;
}

/** Points and box as SAM's `point_coords` / `point_labels`, in the resized encoder frame. */
export function promptTensors(
  prompt: { points: readonly SegmentPoint[]; box?: SegmentBox },
  width: number,
  height: number,
  resizedW: number,
  resizedH: number,
): { coords: Float32Array; labels: Float32Array } {
  const sx = resizedW / width;
  const sy = resizedH / height;
  const coords: number[] = [];
  const labels: number[] = [];
  for (const p of prompt.points) {
    coords.push(p.x * sx, p.y * sy);
    labels.push(p.positive ? 1 : 0);
  }
  if (prompt.box) {
    coords.push(prompt.box.x0 * sx, prompt.box.y0 * sy, prompt.box.x1 * sx, prompt.box.y1 * sy);
    labels.push(2, 3);
  } else {
    // SAM's decoder was trained with a padding point whenever there is no box.
    coords.push(0, 0);
    labels.push(-1);
  }
  return { coords: Float32Array.from(coords), labels: Float32Array.from(labels) };
}

/**
 * One mask's logits (mw × mh, row-major) to a binary mask at width × height: the part
 * [0, cropW) × [0, cropH) of the logit grid covers the image; bilinear resize, then logit > 0.
 */
export function logitsToMask(logits: Float32Array, mw: number, mh: number, cropW: number, cropH: number, width: number, height: number): Mask {
  let grid = logits;
  if (cropW !== mw || cropH !== mh) {
    grid = new Float32Array(cropW * cropH);
    for (let y = 0; y < cropH; y++) grid.set(logits.subarray(y * mw, y * mw + cropW), y * cropW);
  }
  const full = cropW === width && cropH === height ? grid : resizePlanes(grid, 1, cropW, cropH, width, height);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = full[i] > 0 ? 255 : 0;
  return { width, height, data };
}

function validatePrompt(prompt: { points: readonly SegmentPoint[]; box?: SegmentBox }, width: number, height: number): void {
  if (prompt.points.length === 0 && !prompt.box) throw new Error('segment: give at least one point or a box');
  for (const p of prompt.points) {
    if (!(p.x >= 0 && p.x < width && p.y >= 0 && p.y < height)) throw new Error(`segment: point (${p.x}, ${p.y}) is outside the ${width}×${height} image`);
  }
  const b = prompt.box;
  if (b && !(b.x0 < b.x1 && b.y0 < b.y1)) throw new Error('segment: the box must have x0 < x1 and y0 < y1');
}

export function openSegmenter(pack: InstalledPack, options: SegmenterOptions): Segmenter {
  const sp = asSegmenterPack(pack);
  const m = sp.manifest;
  const encoderSpec = m.models.image_encoder;
  const decoderSpec = m.models.prompt_decoder;
  if (!encoderSpec || !decoderSpec) throw new Error(`segmenter pack '${m.name}' needs models 'image_encoder' and 'prompt_decoder'`);
  const encoderInputName = hasInput(encoderSpec, 'image') ? 'image' : encoderSpec.inputs.length === 1 ? encoderSpec.inputs[0].name : null;
  if (!encoderInputName) throw new Error(`segmenter pack '${m.name}': the image encoder has no 'image' input`);
  const embeddingName = encoderSpec.outputs.some((t) => t.name === 'image_embeddings') ? 'image_embeddings' : encoderSpec.outputs[0].name;
  for (const name of ['image_embeddings', 'point_coords']) {
    if (!hasInput(decoderSpec, name)) throw new Error(`segmenter pack '${m.name}': the prompt decoder has no '${name}' input`);
  }
  if (!decoderSpec.outputs.some((t) => t.name === 'masks')) throw new Error(`segmenter pack '${m.name}': the prompt decoder has no 'masks' output`);
  const declaredSide = encoderSpec.inputs.find((t) => t.name === encoderInputName)?.shape[3];
  const size = m.inputSize ?? (typeof declaredSide === 'number' ? declaredSide : DEFAULT_INPUT_SIZE);
  const maskInputSpec = decoderSpec.inputs.find((t) => t.name === 'mask_input');

  const sessionOptions = { provider: options.provider ?? 'auto', ...(options.intraOpThreads !== undefined ? { intraOpThreads: options.intraOpThreads } : {}) };
  const session = (spec: ModelSpec): Promise<OpenedSession> => options.runtime.session(sp.dir, spec.file, sessionOptions);
  const capacity = Math.max(1, options.cacheSize ?? 4);
  // Map iteration order is insertion order: re-inserting on use makes the first key the least recently used.
  const embeddings = new Map<string, Promise<Embedding>>();
  let encoderRuns = 0;
  let cacheHits = 0;

  const encode = async (image: Raster): Promise<Embedding> => {
    const { session: s } = await session(encoderSpec);
    encoderRuns++;
    const out = await s.run({ [encoderInputName]: tensor('float32', encoderInput(image, size), [1, 3, size, size]) });
    const embedding = out[embeddingName];
    if (!embedding || embedding.type !== 'float32') throw new Error(`segmenter pack '${m.name}': the encoder gave no float32 '${embeddingName}'`);
    const r = resizedSize(image.width, image.height, size);
    return { tensor: embedding, resizedW: r.w, resizedH: r.h, width: image.width, height: image.height };
  };

  const embeddingOf = (key: string, image: Raster): Promise<Embedding> => {
    const cached = embeddings.get(key);
    if (cached) {
      embeddings.delete(key);
      embeddings.set(key, cached);
      cacheHits++;
      return cached;
    }
    const entry = encode(image);
    embeddings.set(key, entry);
    entry.catch(() => {
      if (embeddings.get(key) === entry) embeddings.delete(key);
    });
    while (embeddings.size > capacity) embeddings.delete(embeddings.keys().next().value as string);
    return entry;
  };

  return {
    pack: sp,
    stats: () => ({ encoderRuns, cacheHits }),
    clear: () => embeddings.clear(),
    async segment(imageKey, image, prompt) {
      validatePrompt(prompt, image.width, image.height);
      let emb = await embeddingOf(imageKey, image);
      if (emb.width !== image.width || emb.height !== image.height) {
        // The key was reused for a different picture: the cached embedding is stale.
        embeddings.delete(imageKey);
        emb = await embeddingOf(imageKey, image);
      }
      const { coords, labels } = promptTensors(prompt, image.width, image.height, emb.resizedW, emb.resizedH);
      const n = labels.length;
      const feeds: Record<string, Tensor> = {
        image_embeddings: emb.tensor,
        point_coords: tensor('float32', coords, [1, n, 2]),
      };
      if (hasInput(decoderSpec, 'point_labels')) feeds.point_labels = tensor('float32', labels, [1, n]);
      if (maskInputSpec) {
        const embDims = emb.tensor.dims;
        const dims = maskInputSpec.shape.map((d, i) => (typeof d === 'number' ? d : i < 2 ? 1 : 4 * embDims[embDims.length - 1]));
        feeds.mask_input = tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
      }
      if (hasInput(decoderSpec, 'has_mask_input')) feeds.has_mask_input = tensor('float32', Float32Array.of(0), [1]);
      const imageFrame = hasInput(decoderSpec, 'orig_im_size');
      if (imageFrame) feeds.orig_im_size = tensor('float32', Float32Array.of(image.height, image.width), [2]);
      const { session: s } = await session(decoderSpec);
      const out = await s.run(feeds);
      const masks = out.masks;
      if (!masks || masks.type !== 'float32' || masks.dims.length !== 4) {
        throw new Error(`segmenter pack '${m.name}': the decoder's 'masks' is not float32 [1, K, H, W]`);
      }
      const [, k, mh, mw] = masks.dims;
      let best = 0;
      const iou = out.iou_predictions;
      if (k > 1 && iou && iou.type === 'float32') {
        const scores = iou.data as Float32Array;
        for (let i = 1; i < Math.min(k, scores.length); i++) if (scores[i] > scores[best]) best = i;
      }
      const logits = (masks.data as Float32Array).subarray(best * mw * mh, (best + 1) * mw * mh);
      // Without orig_im_size the masks cover the padded S×S frame: keep the image's part of it.
      const cropW = imageFrame ? mw : Math.max(1, Math.min(mw, Math.round((emb.resizedW / size) * mw)));
      const cropH = imageFrame ? mh : Math.max(1, Math.min(mh, Math.round((emb.resizedH / size) * mh)));
      return logitsToMask(logits, mw, mh, cropW, cropH, image.width, image.height);
    },
  };
}
