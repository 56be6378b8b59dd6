import { describe, expect, it } from 'vitest';
import { alphasCumprod, createDdimScheduler, ddimTimesteps, ddimUpdate, scaledLinearBetas } from '../../../../src-main/core/onnx/ddim';
import { readNpy, writeNpy } from '../../../../src-main/core/onnx/npy';

describe('npy', () => {
  it('writes a float32 little-endian C-order array numpy can read', () => {
    const bytes = writeNpy(Float32Array.from([1.5, -2]), [2]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8] | (bytes[9] << 8);
    // The format requires the data to start on a 64-byte boundary and the header to end in '\n'.
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
    // 1.5 = 0x3FC00000 and -2 = 0xC0000000, least significant byte first.
    expect(Array.from(bytes.subarray(10 + headerLen))).toEqual([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('reads back a 2-D array with its shape', () => {
    const a = readNpy(writeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]));
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses float64 and Fortran-order arrays by name', () => {
    const f8 = writeNpy(Float32Array.from([1]), [1]);
    const text = new TextDecoder('latin1').decode(f8).replace("'<f4'", "'<f8'");
    expect(() => readNpy(Uint8Array.from(text, (c) => c.charCodeAt(0)))).toThrow(/'<f8'|<f8/);
    const fortran = new TextDecoder('latin1').decode(f8).replace('False', 'True ');
    expect(() => readNpy(Uint8Array.from(fortran, (c) => c.charCodeAt(0)))).toThrow(/Fortran/);
  });
});

describe('DDIM scheduler', () => {
  it('uses the scaled-linear betas of SD 1.x from 0.00085 to 0.012', () => {
    const betas = scaledLinearBetas();
    expect(betas.length).toBe(1000);
    expect(betas[0]).toBeCloseTo(0.00085, 12);
    expect(betas[999]).toBeCloseTo(0.012, 12);
    // Midpoint of the square-root ramp: ((√0.00085 + √0.012)/2)².
    const mid = ((Math.sqrt(0.00085) + Math.sqrt(0.012)) / 2) ** 2;
    expect((betas[499] + betas[500]) / 2).toBeCloseTo(mid, 6);
  });

  it("reaches SD's published terminal signal level √ᾱ_999 = 0.068265", () => {
    // Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps are Flawed", Table 1.
    const ac = alphasCumprod(scaledLinearBetas());
    expect(Math.sqrt(ac[999])).toBeCloseTo(0.068265, 5);
    expect(ac[0]).toBeCloseTo(1 - 0.00085, 12);
  });

  it("gives diffusers' leading timesteps for 50 steps: 981, 961, 941 … 1", () => {
    const ts = ddimTimesteps(50);
    expect(ts.length).toBe(50);
    expect(ts.slice(0, 3)).toEqual([981, 961, 941]);
    expect(ts[49]).toBe(1);
    expect(ddimTimesteps(4)).toEqual([751, 501, 251, 1]);
  });

  it('matches the closed-form update on hand-worked numbers', () => {
    // ᾱ_t = 0.25, ᾱ_prev = 0.64, x = 1, ε = 0.5: x̂0 = (1 − √0.75·0.5)/0.5 = 1.1339746,
    // x_prev = 0.8·1.1339746 + 0.6·0.5 = 1.2071797.
    const out = ddimUpdate(Float32Array.from([1]), Float32Array.from([0.5]), 0.25, 0.64);
    expect(out[0]).toBeCloseTo(1.2071797, 6);
  });

  it('moves a sample made with known noise exactly along that noise to the previous timestep', () => {
    // With η = 0 and the true ε, x̂0 is exact, so the step lands on q(x_prev | x0) with the same ε.
    const s = createDdimScheduler(50);
    const x0 = Float32Array.from([0.3, -1.2, 0.7]);
    const eps = Float32Array.from([1.1, -0.4, 0.05]);
    const xt = s.addNoise(x0, eps, 981);
    const prev = s.step(eps, 981, xt);
    const expected = s.addNoise(x0, eps, 961);
    for (let i = 0; i < 3; i++) expect(prev[i]).toBeCloseTo(expected[i], 5);
    // After the last step (t = 1) the sample uses ᾱ_0 = 0.99915, not 1 (set_alpha_to_one = false).
    const last = s.step(eps, 1, s.addNoise(x0, eps, 1));
    expect(last[0]).toBeCloseTo(Math.sqrt(0.99915) * 0.3 + Math.sqrt(0.00085) * 1.1, 5);
  });
});
