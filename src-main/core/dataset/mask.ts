/** METHOD.md §0: a mask pixel is on where its gray value is >= half of that mask's maximum value. */
export function binariseMask(values: Uint8Array | Uint16Array): { data: Uint8Array; area: number; max: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const data = new Uint8Array(values.length);
  if (max === 0) return { data, area: 0, max };
  let area = 0;
  for (let i = 0; i < values.length; i++) {
    // v >= max/2 without fractions, so 0/1 masks (max 1) keep every 1.
    if (values[i] * 2 >= max) {
      data[i] = 255;
      area++;
    }
  }
  return { data, area, max };
}
