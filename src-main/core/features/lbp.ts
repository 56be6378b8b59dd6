/**
 * Rotation-invariant uniform LBP, "riu2" (Ojala, Pietikäinen & Mäenpää,
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
