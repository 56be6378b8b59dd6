/**
 * Indices that order Float32 values from highest to lowest: an LSD radix sort (3 passes of
 * 11 bits) on the IEEE bit patterns mapped to unsigned order. Linear in n and carries the
 * index as payload, which a native typed-array sort cannot; a comparator sort of millions of
 * pixels is several times slower. Equal values end up adjacent (−0 next to +0); NaN must be
 * rejected by the caller.
 */
export function argsortFloat32Descending(values: Float32Array): Uint32Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const u = bits[i];
    // Ascending-order key (negatives flipped, positives get the sign bit), then inverted for descending.
    keys[i] = ~(u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
  }
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let keysTmp = new Uint32Array(n);
  let idxTmp = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const dst = count[(k >>> shift) & 2047]++;
      keysTmp[dst] = k;
      idxTmp[dst] = idx[i];
    }
    [keys, keysTmp] = [keysTmp, keys];
    [idx, idxTmp] = [idxTmp, idx];
  }
  return idx;
}
