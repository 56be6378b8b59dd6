/**
 * How alike a cluster's generated defects are (issue 11, "variation that stays real"): the mean
 * pairwise SSIM (Wang, Bovik, Sheikh & Simoncelli, IEEE TIP 2004) of the defects' crops, each
 * resampled to a small gray square. Near 1: near-duplicates of one exemplar; lower: varied.
 */

export interface GrayPatch {
  size: number;
  /** size × size gray values, 0..255. */
  data: Float64Array;
}

/** SSIM's stabilisers for 8-bit data: (0.01·255)² and (0.03·255)². */
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;
/** Side of the square windows SSIM is averaged over. */
const WINDOW = 8;

/** Mean SSIM over non-overlapping WINDOW × WINDOW windows (uniform weights). */
export function ssim(a: GrayPatch, b: GrayPatch): number {
  if (a.size !== b.size) throw new RangeError(`ssim: patches are ${a.size} and ${b.size} px`);
  const n = a.size;
  const step = Math.min(WINDOW, n);
  let sum = 0;
  let windows = 0;
  for (let y0 = 0; y0 + step <= n; y0 += step) {
    for (let x0 = 0; x0 + step <= n; x0 += step) {
      let ma = 0;
      let mb = 0;
      for (let y = y0; y < y0 + step; y++) for (let x = x0; x < x0 + step; x++) (ma += a.data[y * n + x]), (mb += b.data[y * n + x]);
      const k = step * step;
      ma /= k;
      mb /= k;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let y = y0; y < y0 + step; y++) {
        for (let x = x0; x < x0 + step; x++) {
          const da = a.data[y * n + x] - ma;
          const db = b.data[y * n + x] - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      }
      va /= k - 1;
      vb /= k - 1;
      cov /= k - 1;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      windows++;
    }
  }
  return sum / windows;
}

/** Mean SSIM over all pairs of patches (NaN with fewer than two). */
export function meanPairwiseSsim(patches: readonly GrayPatch[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < patches.length; i++) {
    for (let j = i + 1; j < patches.length; j++) {
      sum += ssim(patches[i], patches[j]);
      pairs++;
    }
  }
  return pairs ? sum / pairs : Number.NaN;
}

/**
 * The defect's crop as a gray square: the mask's bounding box grown by a quarter of its size,
 * made square, box-averaged down (or nearest-sampled up) to `size` px.
 */
export function defectPatch(
  image: { width: number; height: number; channels: number; data: Uint8Array },
  mask: { width: number; height: number; data: Uint8Array },
  size = 32,
): GrayPatch | null {
  let x0 = mask.width;
  let y0 = mask.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return null;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1) * 1.5;
  const cx = (x0 + x1 + 1) / 2;
  const cy = (y0 + y1 + 1) / 2;
  const ch = image.channels;
  const gray = (x: number, y: number) => {
    const xx = Math.min(image.width - 1, Math.max(0, Math.floor(x)));
    const yy = Math.min(image.height - 1, Math.max(0, Math.floor(y)));
    const o = (yy * image.width + xx) * ch;
    return ch >= 3 ? 0.299 * image.data[o] + 0.587 * image.data[o + 1] + 0.114 * image.data[o + 2] : image.data[o];
  };
  const data = new Float64Array(size * size);
  const cell = side / size;
  const sub = Math.max(1, Math.min(4, Math.ceil(cell)));
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let s = 0;
      for (let j = 0; j < sub; j++) for (let i = 0; i < sub; i++) s += gray(cx - side / 2 + (u + (i + 0.5) / sub) * cell, cy - side / 2 + (v + (j + 0.5) / sub) * cell);
      data[v * size + u] = s / (sub * sub);
    }
  }
  return { size, data };
}
