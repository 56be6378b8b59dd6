/**
 * A `backbone` model pack as a feature extractor (ARCHITECTURE.md "Models"):
 * - AMFC's deep block (METHOD.md §1): every feature layer mean-pooled inside the anomaly's
 *   mask, layers concatenated — the `DeepFeatureExtractor` of core/features;
 * - the scorer's F_β (METHOD.md §5, SimpleNet): each layer averaged over its 3×3
 *   neighbourhood, coarser layers bilinearly upsampled to the finest one, channels
 *   concatenated into a `PatchGrid` for the scorer's grid-level API.
 *
 * Input: the image stretched (bilinear) to the pack's `inputSize`², RGB (gray replicated,
 * alpha dropped) scaled to [0, 1], then `(v − mean) / std` per channel when the pack gives
 * mean and std (ImageNet's for torchvision exports). Stretching rather than cropping keeps
 * the whole image covered, so the patch grid and the score map it yields span the image.
 *
 * Every output of the pack's `backbone` model is a feature layer: NCHW `[1, C, H, W]`, or a
 * ViT token sequence `[1, T, D]` whose T is a square number of patches (plus one class
 * token, dropped).
 */
import type { DeepFeatureExtractor } from '../features/types';
import type { Mask, Raster } from '../image/raster';
import type { PatchGrid } from '../score/patch-features';
import type { InstalledPack } from './packs';
import type { BackbonePackManifest } from './pack-schema';
import { tensor, type OpenedSession, type PackRuntime, type ProviderRequest } from './runtime';
import { resizePlanes } from './tensor-image';

export type BackbonePack = InstalledPack<BackbonePackManifest>;

export function asBackbonePack(pack: InstalledPack): BackbonePack {
  if (pack.manifest.kind !== 'backbone') throw new Error(`pack '${pack.name}' is a ${pack.kind} pack, not a backbone`);
  return pack as BackbonePack;
}

/** One feature layer, planar (channel-major): value (c, y, x) at data[c·height·width + y·width + x]. */
export interface FeatureLayer {
  name: string;
  channels: number;
  width: number;
  height: number;
  data: Float32Array;
}

export interface BackboneOptions {
  /** Opens the pack's model (sessions shared through the runtime's cache). */
  runtime: PackRuntime;
  provider?: ProviderRequest;
  intraOpThreads?: number;
}

export interface Backbone {
  /** Names the pack, its version, the input size and the layers; a scorer trained on one refuses any other. */
  readonly id: string;
  readonly pack: BackbonePack;
  /** The model's raw feature layers for one image, in the pack's output order. */
  featureLayers(image: Raster): Promise<FeatureLayer[]>;
  /** F_β of METHOD.md §5 at the finest layer's resolution. */
  patchGrid(image: Raster): Promise<PatchGrid>;
  /** METHOD.md §1's deep block: per layer, the mean of the features inside the mask. */
  deepFeatures(image: Raster, mask: Mask): Promise<Float32Array>;
  /** The same, as core/features' extractor interface. */
  readonly deepExtractor: DeepFeatureExtractor;
}

/** The image as the backbone's `image` input: [1, 3, size, size], see the header for the scaling. */
export function backboneInput(image: Raster, size: number, mean?: readonly number[], std?: readonly number[]): Float32Array {
  const { width: w, height: h, channels: ch, data } = image;
  const planes = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) planes[c * w * h + i] = (ch >= 3 ? data[i * ch + c] : data[i * ch]) / 255;
  }
  const out = w === size && h === size ? planes : resizePlanes(planes, 3, w, h, size, size);
  if (mean && std) {
    const n = size * size;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < n; i++) out[c * n + i] = (out[c * n + i] - mean[c]) / std[c];
    }
  }
  return out;
}

/** An output tensor as a planar feature layer, or an error naming the output and its shape. */
export function toFeatureLayer(name: string, dims: readonly number[], values: Float32Array): FeatureLayer {
  if (dims.length === 4 && dims[0] === 1) {
    const [, channels, height, width] = dims;
    return { name, channels, width, height, data: values };
  }
  if (dims.length === 3 && dims[0] === 1) {
    const [, tokens, dim] = dims;
    const side = Math.round(Math.sqrt(tokens));
    const sideWithoutClass = Math.round(Math.sqrt(tokens - 1));
    const skip = side * side === tokens ? 0 : sideWithoutClass * sideWithoutClass === tokens - 1 ? 1 : -1;
    if (skip >= 0) {
      const g = skip === 0 ? side : sideWithoutClass;
      const data = new Float32Array(dim * g * g);
      // Tokens are row-major patches, each a dim-vector: transpose to planar.
      for (let t = 0; t < g * g; t++) {
        const row = (t + skip) * dim;
        for (let c = 0; c < dim; c++) data[c * g * g + t] = values[row + c];
      }
      return { name, channels: dim, width: g, height: g, data };
    }
  }
  throw new Error(`backbone output '${name}' has shape [${dims.join(', ')}]; expected [1, C, H, W] or ViT tokens [1, T, D] with T a square (+1 class token)`);
}

/** Mean over each cell's 3×3 neighbourhood (cells outside the map are left out): SimpleNet's local patch aggregation. */
export function neighbourhoodMean(layer: FeatureLayer): FeatureLayer {
  const { channels, width: w, height: h, data } = layer;
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    const p = c * w * h;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            sum += data[p + yy * w + xx];
            n++;
          }
        }
        out[p + y * w + x] = sum / n;
      }
    }
  }
  return { ...layer, data: out };
}

/**
 * Layers brought to the finest layer's grid (bilinear, half-pixel centres) and concatenated per
 * cell: the PatchGrid layout, patch (gx, gy) at data[(gy·gridW + gx)·dim].
 */
export function concatenateLayers(layers: readonly FeatureLayer[]): PatchGrid {
  if (layers.length === 0) throw new Error('backbone: no feature layers to concatenate');
  const finest = layers.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const gridW = finest.width;
  const gridH = finest.height;
  const dim = layers.reduce((s, l) => s + l.channels, 0);
  const cells = gridW * gridH;
  const data = new Float32Array(cells * dim);
  let offset = 0;
  for (const l of layers) {
    const planes = l.width === gridW && l.height === gridH ? l.data : resizePlanes(l.data, l.channels, l.width, l.height, gridW, gridH);
    for (let c = 0; c < l.channels; c++) {
      for (let i = 0; i < cells; i++) data[i * dim + offset + c] = planes[c * cells + i];
    }
    offset += l.channels;
  }
  return { gridW, gridH, dim, data };
}

/**
 * Fraction of each cell of a w×h grid (covering the mask evenly) that the mask covers. Area
 * weights, not nearest sampling, so a defect smaller than one cell still counts.
 */
export function maskCoverage(mask: Mask, w: number, h: number): Float64Array {
  const cover = new Float64Array(w * h);
  const counts = new Float64Array(w * h);
  for (let y = 0; y < mask.height; y++) {
    const cy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / mask.height));
    for (let x = 0; x < mask.width; x++) {
      const cell = cy * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / mask.width));
      counts[cell]++;
      if (mask.data[y * mask.width + x] !== 0) cover[cell]++;
    }
  }
  for (let i = 0; i < cover.length; i++) cover[i] = counts[i] > 0 ? cover[i] / counts[i] : 0;
  return cover;
}

/** Per layer, the coverage-weighted mean of every channel inside the mask, layers concatenated (METHOD.md §1). */
export function poolInsideMask(layers: readonly FeatureLayer[], mask: Mask): Float32Array {
  const out = new Float32Array(layers.reduce((s, l) => s + l.channels, 0));
  let offset = 0;
  for (const l of layers) {
    const cover = maskCoverage(mask, l.width, l.height);
    let total = 0;
    for (const v of cover) total += v;
    if (total === 0) throw new Error('empty mask: no anomaly pixels to pool deep features over');
    const cells = l.width * l.height;
    for (let c = 0; c < l.channels; c++) {
      let sum = 0;
      for (let i = 0; i < cells; i++) if (cover[i] > 0) sum += cover[i] * l.data[c * cells + i];
      out[offset + c] = sum / total;
    }
    offset += l.channels;
  }
  return out;
}

/** The id a scorer stores: the pack by name and version, its input size and layers, and this file's recipe. */
export function backboneId(m: BackbonePackManifest): string {
  const outputs = m.models.backbone.outputs.map((o) => o.name).join('+');
  return `onnx-backbone-v1:${m.name}@${m.version}:in=${m.inputSize}:layers=${outputs}:agg=3x3`;
}

/** Opens a backbone pack; the session is created on first use and shared through the session cache. */
export function openBackbone(pack: InstalledPack, options: BackboneOptions): Backbone {
  const bp = asBackbonePack(pack);
  const m = bp.manifest;
  const spec = m.models.backbone;
  if (!spec) throw new Error(`backbone pack '${m.name}' has no 'backbone' model`);
  if (!spec.inputs.some((t) => t.name === 'image')) throw new Error(`backbone pack '${m.name}': the model has no 'image' input`);
  if ((m.mean === undefined) !== (m.std === undefined)) throw new Error(`backbone pack '${m.name}': give both mean and std, or neither`);
  if (m.std?.some((s) => !(s > 0))) throw new Error(`backbone pack '${m.name}': every std must be > 0`);
  const sessionOptions = { provider: options.provider ?? 'auto', ...(options.intraOpThreads !== undefined ? { intraOpThreads: options.intraOpThreads } : {}) };
  // The runtime shares one session per model file across jobs and drops a failed load, so a retry can succeed.
  const session = (): Promise<OpenedSession> => options.runtime.session(bp.dir, spec.file, sessionOptions);

  const featureLayers = async (image: Raster): Promise<FeatureLayer[]> => {
    const { session: s } = await session();
    const input = backboneInput(image, m.inputSize, m.mean, m.std);
    const result = await s.run({ image: tensor('float32', input, [1, 3, m.inputSize, m.inputSize]) });
    return spec.outputs.map(({ name }) => {
      const t = result[name];
      if (!t) throw new Error(`backbone pack '${m.name}': the model has no output '${name}'`);
      if (t.type !== 'float32') throw new Error(`backbone output '${name}' is ${t.type}; expected float32`);
      return toFeatureLayer(name, t.dims, t.data as Float32Array);
    });
  };
  const deepFeatures = async (image: Raster, mask: Mask): Promise<Float32Array> => {
    if (image.width !== mask.width || image.height !== mask.height) {
      throw new Error(`mask ${mask.width}×${mask.height} does not match image ${image.width}×${image.height}`);
    }
    return poolInsideMask(await featureLayers(image), mask);
  };
  return {
    id: backboneId(m),
    pack: bp,
    featureLayers,
    patchGrid: async (image) => concatenateLayers((await featureLayers(image)).map(neighbourhoodMean)),
    deepFeatures,
    deepExtractor: { name: m.name, version: m.version, extract: deepFeatures },
  };
}
