/**
 * Conversions between the workbench's rasters and masks and the tensors an SD 1.x pack
 * takes: RGB in [−1, 1], NCHW, at the pack's square resolution; masks at latent and at
 * position-encoder resolution; and the final composite at the normal image's own size.
 */
import { createRng } from '../random';
import type { Mask, Raster } from '../image/raster';

/** Bilinear resize of planar channels (half-pixel centres, edge-clamped). */
export function resizePlanes(src: Float32Array, channels: number, w: number, h: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(channels * outW * outH);
  const sx = w / outW;
  const sy = h / outH;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const p = c * w * h;
        const top = src[p + y0 * w + x0] * (1 - tx) + src[p + y0 * w + x1] * tx;
        const bottom = src[p + y1 * w + x0] * (1 - tx) + src[p + y1 * w + x1] * tx;
        out[c * outW * outH + y * outW + x] = top * (1 - ty) + bottom * ty;
      }
    }
  }
  return out;
}

/** The normal image as the VAE encoder's `sample`: RGB (gray replicated, alpha dropped), [−1, 1], NCHW. */
export function rasterToPixelTensor(raster: Raster, size: number): Float32Array {
  const { width: w, height: h, channels: ch, data } = raster;
  const planes = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) {
      const v = ch >= 3 ? data[i * ch + c] : data[i * ch];
      planes[c * w * h + i] = v / 127.5 - 1;
    }
  }
  return resizePlanes(planes, 3, w, h, size, size);
}

/**
 * Latent cells that may change: a cell is on when any pixel of its footprint is on, so the
 * latent region always covers the whole dilated mask.
 */
export function maskToLatent(mask: Mask, latentWidth: number, latentHeight: number): Float32Array {
  const out = new Float32Array(latentWidth * latentHeight);
  for (let y = 0; y < mask.height; y++) {
    const ly = Math.min(latentHeight - 1, Math.floor((y * latentHeight) / mask.height));
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] === 0) continue;
      out[ly * latentWidth + Math.min(latentWidth - 1, Math.floor((x * latentWidth) / mask.width))] = 1;
    }
  }
  return out;
}

/** The aligned mask as the position encoder's `mask`: nearest-sampled to size², values 0/1, [1, 1, size, size]. */
export function maskToEncoderInput(mask: Mask, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / size));
    for (let x = 0; x < size; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / size));
      out[y * size + x] = mask.data[sy * mask.width + sx] !== 0 ? 1 : 0;
    }
  }
  return out;
}

/**
 * Puts the decoded image (NCHW in [−1, 1] at size²) back at the normal image's size, inside
 * the dilated mask only: every pixel outside it, and any alpha, is the normal image's byte.
 */
export function compositeDecoded(normal: Raster, decoded: Float32Array, size: number, dilated: Mask): Raster {
  const { width: w, height: h, channels: ch } = normal;
  const full = resizePlanes(decoded, 3, size, size, w, h);
  const data = Uint8Array.from(normal.data);
  const byte = (v: number): number => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)));
  for (let i = 0; i < w * h; i++) {
    if (dilated.data[i] === 0) continue;
    const r = byte(full[i]);
    const g = byte(full[w * h + i]);
    const b = byte(full[2 * w * h + i]);
    if (ch >= 3) {
      data[i * ch] = r;
      data[i * ch + 1] = g;
      data[i * ch + 2] = b;
    } else {
      // Rec. 601 luma, the weights of the gray conversion the decoders use.
      data[i * ch] = Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b));
    }
  }
  return { width: w, height: h, channels: ch, data };
}

/** Standard normal samples from a seed: the same seed gives the same latent noise. */
export function gaussianNoise(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal();
  return out;
}
