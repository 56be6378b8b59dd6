/**
 * Per-pixel texture channels for the hand-crafted patch descriptor: a magnitude-weighted
 * gradient-orientation histogram (soft-binned, signed orientation so a dark spot and a
 * bright spot differ) and the uniform rotation-invariant LBP code (P = 8, R = 1).
 */

export const ORIENTATION_BINS = 8;
/** riu2 codes 0..8 for uniform patterns (number of set bits) plus 9 for every non-uniform one. */
export const LBP_BINS = 10;

/**
 * Sobel gradients of a plane (edges clamped; `step` spreads the Sobel taps `step` pixels apart,
 * a coarser scale of the same operator, so wide soft edges show as well as sharp ones), split into ORIENTATION_BINS planes holding the
 * magnitude share of each orientation bin (linear interpolation between the two nearest bins).
 */
export function orientationPlanes(plane: ArrayLike<number>, width: number, height: number, step = 1): Float32Array[] {
  const bins: Float32Array[] = [];
  for (let k = 0; k < ORIENTATION_BINS; k++) bins.push(new Float32Array(width * height));
  const binWidth = (2 * Math.PI) / ORIENTATION_BINS;
  const k = step;
  // Clamped neighbour columns, computed once (edges clamped as ever; no per-tap closure).
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    left[x] = Math.max(0, x - k);
    right[x] = Math.min(width - 1, x + k);
  }
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - k) * width;
    const row = y * width;
    const down = Math.min(height - 1, y + k) * width;
    for (let x = 0; x < width; x++) {
      const xm = left[x];
      const xp = right[x];
      // Paired differences, so a flat area gives exactly zero rather than rounding residue.
      const gx = plane[up + xp] - plane[up + xm] + 2 * (plane[row + xp] - plane[row + xm]) + (plane[down + xp] - plane[down + xm]);
      const gy = plane[down + xm] - plane[up + xm] + 2 * (plane[down + x] - plane[up + x]) + (plane[down + xp] - plane[up + xp]);
      if (gx === 0 && gy === 0) continue;
      const mag = Math.hypot(gx, gy) / 8;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += 2 * Math.PI;
      const pos = theta / binWidth;
      const b0 = Math.floor(pos) % ORIENTATION_BINS;
      const frac = pos - Math.floor(pos);
      const p = row + x;
      bins[b0][p] += mag * (1 - frac);
      bins[(b0 + 1) % ORIENTATION_BINS][p] += mag * frac;
    }
  }
  return bins;
}

const RIU2 = (() => {
  const t = new Uint8Array(256);
  for (let code = 0; code < 256; code++) {
    let transitions = 0;
    let ones = 0;
    for (let i = 0; i < 8; i++) {
      const bit = (code >> i) & 1;
      const next = (code >> ((i + 1) % 8)) & 1;
      ones += bit;
      if (bit !== next) transitions++;
    }
    t[code] = transitions <= 2 ? ones : 9;
  }
  return t;
})();

const NEIGHBOURS: ReadonlyArray<readonly [number, number]> = [
  [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1],
];

/** Uniform rotation-invariant LBP code (0..9) per pixel, neighbours ≥ centre set a bit; edges clamped. */
export function lbpCodes(plane: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const colOf = (dx: number) => Int32Array.from({ length: width }, (_, x) => Math.min(width - 1, Math.max(0, x + dx)));
  const cols = NEIGHBOURS.map(([dx]) => colOf(dx));
  const rowOff = new Int32Array(8);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < 8; i++) rowOff[i] = Math.min(height - 1, Math.max(0, y + NEIGHBOURS[i][1])) * width;
    for (let x = 0; x < width; x++) {
      const c = plane[y * width + x];
      let code = 0;
      for (let i = 0; i < 8; i++) if (plane[rowOff[i] + cols[i][x]] >= c) code |= 1 << i;
      out[y * width + x] = RIU2[code];
    }
  }
  return out;
}

/**
 * Uniform rotation-invariant LBP code (0..9) with P = 8 neighbours on a circle of `radius` pixels,
 * off-grid neighbours bilinearly interpolated (as scikit-image's `local_binary_pattern`); radius 1
 * with the 8-connected neighbours is `lbpCodes`. A larger radius sees coarser texture.
 */
export function lbpCodesAtRadius(plane: ArrayLike<number>, width: number, height: number, radius: number): Uint8Array {
  if (radius === 1) return lbpCodes(plane, width, height);
  const out = new Uint8Array(width * height);
  const offsets = Array.from({ length: 8 }, (_, i) => {
    const a = (2 * Math.PI * i) / 8;
    const dx = radius * Math.cos(a);
    const dy = radius * Math.sin(a);
    const rx = Math.abs(dx - Math.round(dx)) < 1e-9 ? Math.round(dx) : dx;
    const ry = Math.abs(dy - Math.round(dy)) < 1e-9 ? Math.round(dy) : dy;
    const fx = Math.floor(rx);
    const fy = Math.floor(ry);
    return { fx, fy, tx: rx - fx, ty: ry - fy };
  });
  // Per neighbour, the clamped columns x+fx and x+fx+1 (edges clamped as ever), computed once.
  const col = (dx: number) => Int32Array.from({ length: width }, (_, x) => Math.min(width - 1, Math.max(0, x + dx)));
  const c0 = offsets.map((o) => col(o.fx));
  const c1 = offsets.map((o) => col(o.fx + 1));
  const r0 = new Int32Array(8);
  const r1 = new Int32Array(8);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < 8; i++) {
      r0[i] = Math.min(height - 1, Math.max(0, y + offsets[i].fy)) * width;
      r1[i] = Math.min(height - 1, Math.max(0, y + offsets[i].fy + 1)) * width;
    }
    for (let x = 0; x < width; x++) {
      const c = plane[y * width + x];
      let code = 0;
      for (let i = 0; i < 8; i++) {
        const { tx, ty } = offsets[i];
        const a = c0[i][x];
        const b = c1[i][x];
        const v =
          tx === 0 && ty === 0
            ? plane[r0[i] + a]
            : (plane[r0[i] + a] * (1 - tx) + plane[r0[i] + b] * tx) * (1 - ty) + (plane[r1[i] + a] * (1 - tx) + plane[r1[i] + b] * tx) * ty;
        // Interpolation rounding must not break ties on a flat area (equal counts as "≥").
        if (v >= c - 1e-9) code |= 1 << i;
      }
      out[y * width + x] = RIU2[code];
    }
  }
  return out;
}

/** Summed-area table with a zero first row and column: (width+1)·(height+1) entries. */
export function integralImage(plane: ArrayLike<number>, width: number, height: number): Float64Array {
  const w1 = width + 1;
  const s = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += plane[y * width + x];
      s[(y + 1) * w1 + x + 1] = s[y * w1 + x + 1] + row;
    }
  }
  return s;
}

/**
 * The integral image of each code's indicator plane (code k → 1, else 0) for codes 0..bins−1:
 * the same counts as integralImage of each indicator, held exactly as integers, without the
 * indicator planes.
 */
export function integralImagesOfCodes(codes: Uint8Array, width: number, height: number, bins: number): Int32Array[] {
  const w1 = width + 1;
  const tables: Int32Array[] = [];
  for (let k = 0; k < bins; k++) {
    const t = new Int32Array(w1 * (height + 1));
    for (let y = 0; y < height; y++) {
      let row = 0;
      const above = y * w1 + 1;
      const here = (y + 1) * w1 + 1;
      const src = y * width;
      for (let x = 0; x < width; x++) {
        if (codes[src + x] === k) row++;
        t[here + x] = t[above + x] + row;
      }
    }
    tables.push(t);
  }
  return tables;
}

/** Sum of the plane over [x0, x1) × [y0, y1) from its integral image. */
export function boxSum(s: Float64Array | Int32Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  const w1 = width + 1;
  return s[y1 * w1 + x1] - s[y0 * w1 + x1] - s[y1 * w1 + x0] + s[y0 * w1 + x0];
}
