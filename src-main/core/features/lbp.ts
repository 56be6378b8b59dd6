/**
 * Texture block: rotation-invariant uniform LBP, "riu2" (Ojala, Pietikäinen & Mäenpää,
 * TPAMI 2002, Eq. 9). A neighbour counts as 1 when its value is ≥ the centre's, so a
 * flat patch gives all ones (code P), a bright isolated centre gives 0, and a
 * non-uniform pattern (more than two 0/1 transitions around the circle) gives P + 1.
 */

/** The riu2 code of one circular bit pattern (bits[p] for p = 0..P−1). */
export function riu2Code(bits: ArrayLike<number>): number {
  const p = bits.length;
  let ones = 0;
  let transitions = 0;
  for (let i = 0; i < p; i++) {
    ones += bits[i];
    if (bits[i] !== bits[(i + 1) % p]) transitions++;
  }
  return transitions <= 2 ? ones : p + 1;
}

/** Neighbour offsets of the classic 3×3 operator, counter-clockwise from east (y down). */
const P8_OFFSETS: readonly [number, number][] = [
  [1, 0],
  [1, -1],
  [0, -1],
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, 1],
  [1, 1],
];

/**
 * riu2 histograms inside `inside` of the plane `g` (w×h): P=8, R=1 on the 8-neighbours,
 * then P=16, R=2 on a circle sampled bilinearly; 10 + 18 bins, each normalised to sum 1.
 * Samples outside the plane are clamped to its border, so callers pass a plane with at
 * least 2 px of margin around the mask wherever the image has it.
 */
export function lbpHistograms(g: Float64Array, inside: Uint8Array, w: number, h: number): Float64Array {
  const out = new Float64Array(10 + 18);
  const h8 = out.subarray(0, 10);
  const h16 = out.subarray(10);
  const at = (x: number, y: number): number => {
    const cx = x < 0 ? 0 : x >= w ? w - 1 : x;
    const cy = y < 0 ? 0 : y >= h ? h - 1 : y;
    return g[cy * w + cx];
  };
  // P=16, R=2: neighbour p at angle 2πp/16 (counter-clockwise, y down), sampled
  // bilinearly from the four pixels around it: integer corner (ix, iy), fractions (fx, fy).
  const ix = new Int32Array(16);
  const iy = new Int32Array(16);
  const fx = new Float64Array(16);
  const fy = new Float64Array(16);
  for (let p = 0; p < 16; p++) {
    const ang = (2 * Math.PI * p) / 16;
    // Round away cos/sin noise so axis-aligned samples land exactly on pixels.
    const sx = Math.round(2 * Math.cos(ang) * 1e12) / 1e12;
    const sy = Math.round(-2 * Math.sin(ang) * 1e12) / 1e12;
    ix[p] = Math.floor(sx);
    iy[p] = Math.floor(sy);
    fx[p] = sx - ix[p];
    fy[p] = sy - iy[p];
  }
  const off8 = P8_OFFSETS.map(([dx, dy]) => dy * w + dx);
  const off16 = Array.from(ix, (dx, p) => iy[p] * w + dx);
  const bits8 = new Uint8Array(8);
  const bits16 = new Uint8Array(16);
  let n = 0;
  for (let y = 0; y < h; y++) {
    const interior = y >= 2 && y < h - 3;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!inside[i]) continue;
      n++;
      const c = g[i];
      // Fast path away from the plane's border: fixed index offsets, no clamping.
      const fast = interior && x >= 2 && x < w - 3;
      for (let p = 0; p < 8; p++) {
        const v = fast ? g[i + off8[p]] : at(x + P8_OFFSETS[p][0], y + P8_OFFSETS[p][1]);
        bits8[p] = v >= c ? 1 : 0;
      }
      h8[riu2Code(bits8)]++;
      for (let p = 0; p < 16; p++) {
        let v00: number, v10: number, v01: number, v11: number;
        if (fast) {
          const j = i + off16[p];
          v00 = g[j];
          v10 = g[j + 1];
          v01 = g[j + w];
          v11 = g[j + w + 1];
        } else {
          const x0 = x + ix[p];
          const y0 = y + iy[p];
          v00 = at(x0, y0);
          v10 = at(x0 + 1, y0);
          v01 = at(x0, y0 + 1);
          v11 = at(x0 + 1, y0 + 1);
        }
        // a + f·(b − a) form: equal corners give exactly the corner value, so flat stays
        // flat; a zero fraction gives exactly the pixel itself.
        const top = v00 + fx[p] * (v10 - v00);
        const bottom = v01 + fx[p] * (v11 - v01);
        bits16[p] = top + fy[p] * (bottom - top) >= c ? 1 : 0;
      }
      h16[riu2Code(bits16)]++;
    }
  }
  if (n > 0) for (let i = 0; i < out.length; i++) out[i] /= n;
  return out;
}
