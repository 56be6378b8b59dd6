import { describe, expect, it } from 'vitest';
import { blendMixed, blendOpaque, blendSeamless, solvePoisson } from '../../../../src-main/core/generate/poisson';
import { random } from './fixtures';

function grid(width: number, height: number, f: (x: number, y: number) => number): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = f(x, y);
  return out;
}

/** ‖b − A f‖ / ‖b‖ for −Δf = −div on the domain, written out independently of the solver. */
function relativeResidual(width: number, height: number, domain: Uint8Array, div: Float64Array, f: Float64Array): number {
  let rr = 0;
  let bb = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!domain[i]) continue;
      let b = -div[i];
      let af = 0;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        af += f[i];
        if (domain[q]) af -= f[q];
        else b += f[q];
      }
      rr += (b - af) ** 2;
      bb += b * b;
    }
  }
  return Math.sqrt(rr / bb);
}

describe('solvePoisson', () => {
  it('reproduces x² + y², whose 5-point Laplacian is exactly 4, from its boundary values', () => {
    const w = 14;
    const h = 11;
    const exact = grid(w, h, (x, y) => x * x + y * y);
    const domain = new Uint8Array(w * h);
    for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) domain[y * w + x] = 1;
    const boundary = Float64Array.from(exact);
    for (let i = 0; i < w * h; i++) if (domain[i]) boundary[i] = 0;
    const res = solvePoisson({ width: w, height: h, domain, guidanceDivergence: new Float64Array(w * h).fill(4), boundary, tolerance: 1e-13, maxIterations: 1000 });
    for (let i = 0; i < w * h; i++) expect(Math.abs(res.solution[i] - exact[i])).toBeLessThan(1e-6);
  });

  it('reproduces a mixed quadratic on a disc-shaped domain', () => {
    // f = 0.5x² + xy + 1.5y²: Δf = 1 + 3 = 4, and the discrete xy term has zero Laplacian.
    const w = 24;
    const h = 24;
    const exact = grid(w, h, (x, y) => 0.5 * x * x + x * y + 1.5 * y * y);
    const domain = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - 11.5) ** 2 + (y - 12) ** 2 < 81) domain[y * w + x] = 1;
    const res = solvePoisson({ width: w, height: h, domain, guidanceDivergence: new Float64Array(w * h).fill(4), boundary: exact, tolerance: 1e-13 });
    let worst = 0;
    for (let i = 0; i < w * h; i++) worst = Math.max(worst, Math.abs(res.solution[i] - exact[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('stops at the set tolerance and reports the true relative residual', () => {
    const w = 40;
    const h = 30;
    const rnd = random(7);
    const domain = new Uint8Array(w * h);
    for (let y = 3; y < h - 3; y++) for (let x = 2; x < w - 5; x++) domain[y * w + x] = 1;
    const div = grid(w, h, () => (rnd() - 0.5) * 40);
    const boundary = grid(w, h, () => rnd() * 255);
    for (const tolerance of [1e-3, 1e-5, 1e-8]) {
      const res = solvePoisson({ width: w, height: h, domain, guidanceDivergence: div, boundary, tolerance });
      const independent = relativeResidual(w, h, domain, div, res.solution);
      expect(res.iterations).toBeGreaterThan(0);
      expect(res.residual).toBeLessThanOrEqual(tolerance);
      expect(independent).toBeLessThanOrEqual(tolerance * 1.0001);
      expect(Math.abs(independent - res.residual)).toBeLessThan(tolerance * 1e-3);
    }
  });

  it('reaches 1e-5 on a 121-px-wide disc in a few dozen iterations (MIC(0)), with the residual and solution of a tight solve', () => {
    // Diagonal scaling needs on the order of the domain's diameter in iterations (≈ 200 here,
    // measured before MIC(0)); the incomplete Cholesky factor needs about its square root.
    const w = 130;
    const h = 130;
    const rnd = random(11);
    const domain = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - 65) ** 2 + (y - 65) ** 2 < 60.5 ** 2) domain[y * w + x] = 1;
    const div = grid(w, h, (x, y) => 3 * Math.sin(x * 0.2) * Math.cos(y * 0.13) + (rnd() - 0.5));
    const boundary = grid(w, h, (x, y) => 100 + 40 * Math.sin(x * 0.05 + y * 0.03));
    const res = solvePoisson({ width: w, height: h, domain, guidanceDivergence: div, boundary, tolerance: 1e-5 });
    expect(relativeResidual(w, h, domain, div, res.solution)).toBeLessThanOrEqual(1e-5 * 1.0001);
    expect(res.iterations).toBeLessThan(60);
    const tight = solvePoisson({ width: w, height: h, domain, guidanceDivergence: div, boundary, tolerance: 1e-12 });
    let worst = 0;
    for (let i = 0; i < w * h; i++) worst = Math.max(worst, Math.abs(res.solution[i] - tight.solution[i]));
    // Well under the half grey level at which a rounded 8-bit value could flip often.
    expect(worst).toBeLessThan(0.05);
  });

  it('leaves every pixel outside the domain at its boundary value', () => {
    const w = 10;
    const h = 10;
    const domain = new Uint8Array(w * h);
    domain[55] = 1;
    const boundary = grid(w, h, (x, y) => x + 10 * y);
    const res = solvePoisson({ width: w, height: h, domain, guidanceDivergence: new Float64Array(w * h), boundary });
    // One unknown with four given neighbours: f = their mean = (54 + 56 + 45 + 65) / 4.
    expect(res.solution[55]).toBeCloseTo(55, 9);
    for (let i = 0; i < w * h; i++) if (i !== 55) expect(res.solution[i]).toBe(boundary[i]);
  });
});

describe('Poisson blending', () => {
  const w = 20;
  const h = 16;
  const domain = new Uint8Array(w * h);
  for (let y = 4; y < 12; y++) for (let x = 5; x < 15; x++) domain[y * w + x] = 1;

  it('clones a constant-offset patch onto a flat image as the flat image itself', () => {
    // A constant source has zero gradients, so the solution only interpolates the boundary.
    const target = new Float64Array(w * h).fill(100);
    const source = new Float64Array(w * h).fill(137);
    for (const blend of [blendSeamless, blendMixed]) {
      const res = blend({ width: w, height: h, channels: 1, source, target, domain });
      for (let i = 0; i < w * h; i++) expect(res.image[i]).toBeCloseTo(100, 3);
    }
  });

  it('seamlessly clones a ramp as the ramp shifted to meet the boundary', () => {
    // Source g = 3x on a domain whose Dirichlet pixels hold 3x + 50: the solution is 3x + 50.
    const source = Float64Array.from({ length: w * h }, (_, i) => 3 * (i % w));
    const target = Float64Array.from({ length: w * h }, (_, i) => 3 * (i % w) + 50);
    const res = blendSeamless({ width: w, height: h, channels: 1, source, target, domain });
    for (let i = 0; i < w * h; i++) expect(res.image[i]).toBeCloseTo(3 * (i % w) + 50, 3);
  });

  it('keeps the stronger texture of the surface when mixing a flat patch onto it', () => {
    const target = Float64Array.from({ length: w * h * 3 }, (_, k) => {
      const i = Math.floor(k / 3);
      return 100 + (k % 3) * 20 + ((i % w) % 2 === 0 ? 30 : -30);
    });
    const source = new Float64Array(w * h * 3).fill(60);
    const res = blendMixed({ width: w, height: h, channels: 3, source, target, domain, tolerance: 1e-10 });
    for (let k = 0; k < w * h * 3; k++) expect(res.image[k]).toBeCloseTo(target[k], 4);
    for (const s of res.solves) expect(s.residual).toBeLessThanOrEqual(1e-10);
  });

  it('keeps the opaque core exactly and only changes the seam band', () => {
    const core = new Uint8Array(w * h);
    for (let y = 6; y < 10; y++) for (let x = 8; x < 12; x++) core[y * w + x] = 1;
    const target = new Float64Array(w * h).fill(200);
    const source = Float64Array.from({ length: w * h }, (_, i) => (core[i] ? 20 + (i % 3) : 0));
    const res = blendOpaque({ width: w, height: h, channels: 1, source, target, domain, core });
    for (let i = 0; i < w * h; i++) {
      if (core[i]) expect(res.image[i]).toBe(source[i]);
      else if (!domain[i]) expect(res.image[i]).toBe(200);
      // The band is harmonic-like between the dark core and the bright surround.
      else expect(res.image[i]).toBeGreaterThanOrEqual(20 - 1e-6);
    }
  });
});
