/**
 * Logical anomalies from the real thing (METHOD.md §2b): a missing part takes the region's
 * content from a few-shot exemplar of its cluster, an image where the part really is missing,
 * registered to the target (similarity, core/regions/registration) and cloned seamlessly into
 * the region (Pérez's seamless cloning, so lighting differences vanish at the seam). Where the
 * exemplar does not align (the product around the region disagrees, or the region maps outside
 * the exemplar), the caller falls back to inpainting and records it.
 */
import type { Mask, Raster } from '../image/raster';
import { dilate } from '../image/morphology';
import { inverseMap, registerImages, type Registration } from '../regions/registration';
import { boxHeight, boxWidth, growBox, maskBox } from './box';
import { colourChannels } from './lab';
import { blendSeamless } from './poisson';

/** Least normalised cross-correlation of exemplar and target around the region to trust an alignment. */
export const MIN_LOGICAL_AGREEMENT = 0.6;

export type LogicalFromExemplar =
  | { ok: true; image: Raster; agreement: number; registration: Registration }
  | { ok: false; reason: string; agreement: number | null };

/** Bilinear sample of channel c at (x, y) (luma for a gray target, c = -1); NaN outside the image. */
function sample(r: Raster, x: number, y: number, c: number): number {
  if (c < 0) {
    if (colourChannels(r) === 1) return sample(r, x, y, 0);
    const red = sample(r, x, y, 0);
    return Number.isNaN(red) ? NaN : 0.299 * red + 0.587 * sample(r, x, y, 1) + 0.114 * sample(r, x, y, 2);
  }
  if (!(x >= -0.5 && y >= -0.5 && x <= r.width - 0.5 && y <= r.height - 0.5)) return NaN;
  const cx = Math.min(Math.max(x, 0), r.width - 1);
  const cy = Math.min(Math.max(y, 0), r.height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, r.width - 1);
  const y1 = Math.min(y0 + 1, r.height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const ch = r.channels;
  const gray = colourChannels(r) === 1;
  const at = (xx: number, yy: number) => r.data[(yy * r.width + xx) * ch + (gray ? 0 : c)];
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) + fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
}

export function logicalFromExemplar(normal: Raster, region: Mask, exemplar: Raster, registration?: Registration): LogicalFromExemplar {
  const tight = maskBox(region);
  if (!tight) return { ok: false, reason: 'the region is empty', agreement: null };
  const reg = registration ?? registerImages(exemplar, normal);
  // The product around the region, in the target and in the aligned exemplar, must agree.
  const ringWidth = Math.max(3, Math.round(0.02 * Math.max(normal.width, normal.height)));
  const box = growBox(tight, ringWidth + 1, normal.width, normal.height);
  const w = boxWidth(box);
  const h = boxHeight(box);
  const n = w * h;
  const nc = colourChannels(normal);
  const ch = normal.channels;
  const grown = dilate(region, ringWidth);
  const source = new Float64Array(n * nc);
  const target = new Float64Array(n * nc);
  const domain = new Uint8Array(n);
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let ringCount = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      const i = (box.y0 + y) * normal.width + box.x0 + x;
      const [ex, ey] = inverseMap(reg, box.x0 + x, box.y0 + y);
      const inRegion = region.data[i] !== 0;
      for (let c = 0; c < nc; c++) {
        target[k * nc + c] = normal.data[i * ch + c];
        const v = sample(exemplar, ex, ey, nc === 1 ? -1 : c);
        if (Number.isNaN(v)) {
          if (inRegion) return { ok: false, reason: 'the region maps outside the exemplar image', agreement: null };
          source[k * nc + c] = target[k * nc + c];
          continue;
        }
        source[k * nc + c] = v;
        if (!inRegion && grown.data[i] !== 0) {
          const a = target[k * nc + c];
          sa += a;
          sb += v;
          saa += a * a;
          sbb += v * v;
          sab += a * v;
          ringCount++;
        }
      }
      if (inRegion) domain[k] = 1;
    }
  }
  const cov = sab / ringCount - (sa / ringCount) * (sb / ringCount);
  const va = saa / ringCount - (sa / ringCount) ** 2;
  const vb = sbb / ringCount - (sb / ringCount) ** 2;
  const agreement = ringCount > 0 && va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
  if (agreement < MIN_LOGICAL_AGREEMENT) {
    return { ok: false, reason: `the exemplar does not align around the region (agreement ${agreement.toFixed(2)} < ${MIN_LOGICAL_AGREEMENT})`, agreement };
  }
  const blended = blendSeamless({ width: w, height: h, channels: nc, source, target, domain }).image;
  const data = Uint8Array.from(normal.data);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (!domain[k]) continue;
      const i = (box.y0 + y) * normal.width + box.x0 + x;
      for (let c = 0; c < nc; c++) data[i * ch + c] = Math.min(255, Math.max(0, Math.round(blended[k * nc + c])));
    }
  }
  return { ok: true, image: { ...normal, data }, agreement, registration: reg };
}
