import { describe, expect, it } from 'vitest';
import { createDdimScheduler } from '../../../../src-main/core/onnx/ddim';
import { guide, sampleLatent } from '../../../../src-main/core/onnx/sampler';

// 2 channels × 4 cells; cells 1 and 2 may change.
const inside = Float32Array.from([0, 1, 1, 0]);
const z0 = Float32Array.from([0.5, -0.25, 1, 2, -1, 0.75, 0.1, -0.3]);
const noise = Float32Array.from([1, -1, 0.5, 0.2, -0.7, 0.3, 1.5, -0.2]);

describe('mask-guided latent sampling', () => {
  it("ends outside the mask exactly on the normal image's clean latent", async () => {
    const scheduler = createDdimScheduler(4);
    const out = await sampleLatent({
      scheduler,
      timesteps: scheduler.timesteps,
      z0,
      noise,
      inside,
      channels: 2,
      predictNoise: async (x) => x.map((v) => 0.3 * v + 0.2),
    });
    for (const i of [0, 3, 4, 7]) expect(out[i]).toBe(z0[i]);
  });

  it('evolves inside the mask as plain DDIM would when the model acts per cell', async () => {
    const scheduler = createDdimScheduler(4);
    const predict = (x: Float32Array): Float32Array => x.map((v) => 0.3 * v + 0.2);
    const out = await sampleLatent({ scheduler, timesteps: scheduler.timesteps, z0, noise, inside, channels: 2, predictNoise: async (x) => predict(x) });
    // Reference: the same DDIM run without any blending, written out step by step here.
    let x = scheduler.addNoise(z0, noise, 751);
    for (const [t, prev] of [[751, 501], [501, 251], [251, 1], [1, -1]]) {
      const eps = predict(x);
      const a = scheduler.alphaAt(t);
      const ap = prev < 0 ? 0.99915 : scheduler.alphaAt(prev);
      x = x.map((v, i) => Math.sqrt(ap) * ((v - Math.sqrt(1 - a) * eps[i]) / Math.sqrt(a)) + Math.sqrt(1 - ap) * eps[i]);
    }
    for (const i of [1, 2, 5, 6]) expect(out[i]).toBeCloseTo(x[i], 5);
  });

  it('starts a partial-strength run from the normal latent noised to its first timestep', async () => {
    const scheduler = createDdimScheduler(4);
    const seen: number[] = [];
    let first: Float32Array | null = null;
    await sampleLatent({
      scheduler,
      timesteps: scheduler.timesteps.slice(2),
      z0,
      noise,
      inside,
      channels: 2,
      predictNoise: async (x, t) => {
        seen.push(t);
        first ??= Float32Array.from(x);
        return new Float32Array(x.length);
      },
    });
    expect(seen).toEqual([251, 1]);
    const a = scheduler.alphaAt(251);
    expect(first![1]).toBeCloseTo(Math.sqrt(a) * z0[1] + Math.sqrt(1 - a) * noise[1], 6);
  });

  it('applies classifier-free guidance as ε_u + g·(ε_c − ε_u)', () => {
    expect(Array.from(guide(Float32Array.from([1, 2]), Float32Array.from([0.5, 3]), 7.5))).toEqual([4.25, -4.5]);
  });
});
