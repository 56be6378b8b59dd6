/**
 * The outline of a binary mask: the "on" pixels with an "off" 4-neighbour (or on the image's
 * border), one pixel wide, so the outline lies on the defect's own edge pixels.
 */
export function maskOutline(on: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(on.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!on[i]) continue;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !on[i - 1] || !on[i + 1] || !on[i - width] || !on[i + width];
      if (edge) out[i] = 1;
    }
  }
  return out;
}
