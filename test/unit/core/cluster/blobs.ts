/** Test-only: well-separated Gaussian blobs with known membership. */
import { createRng } from '../../../../src-main/core/random';

export function gaussianBlobs(
  sizes: number[],
  opts: { dim?: number; spread?: number; separation?: number; seed?: number } = {},
): { points: Float64Array[]; truth: number[] } {
  const dim = opts.dim ?? 2;
  const spread = opts.spread ?? 1;
  const separation = opts.separation ?? 20;
  const rng = createRng(opts.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());
  const points: Float64Array[] = [];
  const truth: number[] = [];
  sizes.forEach((size, b) => {
    // Centres on a circle in the first two dimensions, so every pair is far apart.
    const centre = new Float64Array(dim);
    centre[0] = separation * Math.cos((2 * Math.PI * b) / sizes.length);
    centre[1] = separation * Math.sin((2 * Math.PI * b) / sizes.length);
    for (let i = 0; i < size; i++) {
      points.push(centre.map((c) => c + spread * gauss()));
      truth.push(b);
    }
  });
  return { points, truth };
}
