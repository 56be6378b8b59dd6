import { describe, expect, it } from 'vitest';
import { initParams, lossAndGradients, PARAM_BLOCKS, type ScorerParams } from '../../../../src-main/core/score/network';
import { createRng } from '../../../../src-main/core/random';

// Finite-difference check of the hand-written backward pass through adaptor, discriminator and
// training-mode batch norm (whose statistics couple every row of the batch).
interface BlockCheck {
  relativeError: number;
  analyticNorm: number;
  numericNorm: number;
}

function gradientCheck(th: number, seed: number): Record<string, BlockCheck> {
  const dim = 5;
  const hidden = 4;
  const n = 6;
  const rng = createRng(seed);
  const p: ScorerParams = initParams(dim, hidden, rng);
  // Move the BN affine and biases off their initial values so their gradients are generic.
  for (let j = 0; j < hidden; j++) {
    p.bnGamma[j] = 1 + 0.3 * rng.normal();
    p.bnBeta[j] = 0.2 * rng.normal();
    p.discBias1[j] = 0.1 * rng.normal();
  }
  for (let j = 0; j < dim; j++) p.adaptorBias[j] = 0.1 * rng.normal();
  const x = new Float64Array(n * dim).map(() => rng.normal());
  const noise = new Float64Array(n * dim).map(() => 0.3 * rng.normal());
  const settings = { thPositive: th, thNegative: th };
  const analytic = lossAndGradients(p, x, noise, n, settings).grads;

  const out: Record<string, BlockCheck> = {};
  const h = 1e-6;
  for (const block of PARAM_BLOCKS) {
    const v = p[block];
    let num = 0;
    let an = 0;
    let nu = 0;
    for (let i = 0; i < v.length; i++) {
      const keep = v[i];
      v[i] = keep + h;
      const up = lossAndGradients(p, x, noise, n, settings).loss;
      v[i] = keep - h;
      const down = lossAndGradients(p, x, noise, n, settings).loss;
      v[i] = keep;
      const fd = (up - down) / (2 * h);
      num += (fd - analytic[block][i]) ** 2;
      an += analytic[block][i] ** 2;
      nu += fd ** 2;
    }
    out[block] = {
      relativeError: Math.sqrt(num) / Math.max(1e-300, Math.sqrt(an + nu)),
      analyticNorm: Math.sqrt(an),
      numericNorm: Math.sqrt(nu),
    };
  }
  return out;
}

// A bias added before batch norm shifts every row alike and is removed with the batch mean, so
// the loss cannot depend on it: both gradients must vanish rather than agree in relative terms.
const BEFORE_BATCH_NORM = new Set(['adaptorBias', 'discBias1']);

function expectAgreement(checks: Record<string, BlockCheck>): void {
  expect(Object.keys(checks).sort()).toEqual([...PARAM_BLOCKS].sort());
  for (const [block, c] of Object.entries(checks)) {
    if (BEFORE_BATCH_NORM.has(block)) {
      expect(c.analyticNorm, block).toBeLessThan(1e-9);
      expect(c.numericNorm, block).toBeLessThan(1e-8);
    } else {
      expect(c.numericNorm, block).toBeGreaterThan(1e-4);
      expect(c.relativeError, block).toBeLessThan(1e-4);
    }
  }
}

describe('scorer backward pass', () => {
  it('matches finite differences for every parameter block with all hinges active', () => {
    expectAgreement(gradientCheck(0.5, 11));
  });

  it('matches finite differences when part of the truncated-L1 hinges are inactive', () => {
    // th = 0: roughly half the rows sit on the flat side of max(0, ·).
    expectAgreement(gradientCheck(0, 23));
  });

  it('has zero gradient once every positive is above th⁺ and every negative below −th⁻', () => {
    const rng = createRng(3);
    const p = initParams(3, 2, rng);
    const x = new Float64Array(12).map(() => rng.normal());
    const pass = lossAndGradients(p, x, new Float64Array(12), 4, { thPositive: -1e6, thNegative: -1e6 });
    expect(pass.loss).toBe(0);
    for (const b of PARAM_BLOCKS) expect(Array.from(pass.grads[b]).every((g) => g === 0)).toBe(true);
  });
});
