/**
 * DDIM sampling with η = 0 (Song et al., 2020) on Stable Diffusion 1.x's training schedule,
 * matching diffusers' `DDIMScheduler` as SD 1.x configures it: scaled-linear betas from
 * 0.00085 to 0.012 over 1000 steps, "leading" timestep spacing with steps_offset = 1, and
 * set_alpha_to_one = false (the step after the last one uses ᾱ_0).
 */

export interface DdimConfig {
  trainSteps: number;
  betaStart: number;
  betaEnd: number;
  stepsOffset: number;
  /** ᾱ used after the final step: 1 when true, ᾱ_0 otherwise (SD 1.x: false). */
  setAlphaToOne: boolean;
}

export const SD15_DDIM: DdimConfig = { trainSteps: 1000, betaStart: 0.00085, betaEnd: 0.012, stepsOffset: 1, setAlphaToOne: false };

/** β_i = (√β_start + i/(T−1)·(√β_end − √β_start))², the "scaled_linear" schedule of LDM. */
export function scaledLinearBetas(config: DdimConfig = SD15_DDIM): Float64Array {
  const { trainSteps: n, betaStart, betaEnd } = config;
  const a = Math.sqrt(betaStart);
  const b = Math.sqrt(betaEnd);
  const betas = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = n === 1 ? a : a + ((b - a) * i) / (n - 1);
    betas[i] = s * s;
  }
  return betas;
}

/** ᾱ_t = Π_{i ≤ t} (1 − β_i). */
export function alphasCumprod(betas: Float64Array): Float64Array {
  const out = new Float64Array(betas.length);
  let p = 1;
  for (let i = 0; i < betas.length; i++) {
    p *= 1 - betas[i];
    out[i] = p;
  }
  return out;
}

/** Leading spacing: t_k = k·⌊T/N⌋ + offset, k = N−1 … 0 (50 steps: 981, 961, …, 1). */
export function ddimTimesteps(steps: number, config: DdimConfig = SD15_DDIM): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > config.trainSteps) {
    throw new Error(`DDIM steps must be an integer in 1..${config.trainSteps}, got ${steps}`);
  }
  const ratio = Math.floor(config.trainSteps / steps);
  const out: number[] = [];
  for (let k = steps - 1; k >= 0; k--) out.push(k * ratio + config.stepsOffset);
  return out;
}

/**
 * The η = 0 DDIM update: x̂0 = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t, x_{t−1} = √ᾱ_{t−1}·x̂0 + √(1−ᾱ_{t−1})·ε.
 */
export function ddimUpdate(sample: Float32Array, eps: Float32Array, alphaT: number, alphaPrev: number): Float32Array {
  if (sample.length !== eps.length) throw new Error(`sample has ${sample.length} values but the model output has ${eps.length}`);
  const sa = Math.sqrt(alphaT);
  const sb = Math.sqrt(1 - alphaT);
  const pa = Math.sqrt(alphaPrev);
  const pb = Math.sqrt(1 - alphaPrev);
  const out = new Float32Array(sample.length);
  for (let i = 0; i < sample.length; i++) {
    const x0 = (sample[i] - sb * eps[i]) / sa;
    out[i] = pa * x0 + pb * eps[i];
  }
  return out;
}

export interface DdimScheduler {
  config: DdimConfig;
  alphasCumprod: Float64Array;
  /** Descending timesteps to run, for the requested number of steps. */
  timesteps: number[];
  /** The timestep the sample reaches after a step at t (negative after the last one). */
  previousTimestep(t: number): number;
  /** ᾱ at t, with the final-step convention for negative t. */
  alphaAt(t: number): number;
  step(modelOutput: Float32Array, t: number, sample: Float32Array): Float32Array;
  /** q(x_t | x_0): √ᾱ_t·x0 + √(1−ᾱ_t)·ε; for negative t, x0 itself. */
  addNoise(x0: Float32Array, eps: Float32Array, t: number): Float32Array;
}

export function createDdimScheduler(steps: number, config: DdimConfig = SD15_DDIM): DdimScheduler {
  const ac = alphasCumprod(scaledLinearBetas(config));
  const timesteps = ddimTimesteps(steps, config);
  const ratio = Math.floor(config.trainSteps / steps);
  const finalAlpha = config.setAlphaToOne ? 1 : ac[0];
  const alphaAt = (t: number): number => {
    if (t < 0) return finalAlpha;
    if (!Number.isInteger(t) || t >= ac.length) throw new Error(`timestep ${t} is outside 0..${ac.length - 1}`);
    return ac[t];
  };
  const previousTimestep = (t: number): number => t - ratio;
  return {
    config,
    alphasCumprod: ac,
    timesteps,
    previousTimestep,
    alphaAt,
    step: (modelOutput, t, sample) => ddimUpdate(sample, modelOutput, alphaAt(t), alphaAt(previousTimestep(t))),
    addNoise: (x0, eps, t) => {
      if (t < 0) return Float32Array.from(x0);
      const a = Math.sqrt(alphaAt(t));
      const b = Math.sqrt(1 - alphaAt(t));
      const out = new Float32Array(x0.length);
      for (let i = 0; i < x0.length; i++) out[i] = a * x0[i] + b * eps[i];
      return out;
    },
  };
}
