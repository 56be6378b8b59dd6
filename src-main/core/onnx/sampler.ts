/**
 * The denoising loop of §3.4 with mask-guided latent blending: after every DDIM step the
 * latent outside the (latent-resolution) mask is replaced by the normal image's latent
 * noised to the step just reached, with the same noise the sample started from, so the
 * background follows the normal image's own trajectory and ends on its clean latent.
 */
import type { DdimScheduler } from './ddim';

export interface LatentSampling {
  scheduler: DdimScheduler;
  /** Descending timesteps to run (a tail of `scheduler.timesteps` when strength < 1). */
  timesteps: number[];
  /** The normal image's scaled latent, [channels × cells]. */
  z0: Float32Array;
  /** The seeded noise, same layout as z0. */
  noise: Float32Array;
  /** 1 where the latent may change, per cell (shared by all channels). */
  inside: Float32Array;
  channels: number;
  /** Predicted noise ε for the latent at t (guidance already applied). */
  predictNoise(latent: Float32Array, t: number): Promise<Float32Array>;
}

export async function sampleLatent(s: LatentSampling): Promise<Float32Array> {
  const cells = s.inside.length;
  if (s.z0.length !== s.channels * cells || s.noise.length !== s.z0.length) {
    throw new Error(`latent has ${s.z0.length} values but ${s.channels} channels × ${cells} cells were expected`);
  }
  let latent = s.scheduler.addNoise(s.z0, s.noise, s.timesteps[0]);
  for (const t of s.timesteps) {
    latent = s.scheduler.step(await s.predictNoise(latent, t), t, latent);
    const background = s.scheduler.addNoise(s.z0, s.noise, s.scheduler.previousTimestep(t));
    for (let c = 0; c < s.channels; c++) {
      for (let i = 0; i < cells; i++) {
        if (s.inside[i] === 0) latent[c * cells + i] = background[c * cells + i];
      }
    }
  }
  return latent;
}

/** Classifier-free guidance: ε_u + g·(ε_c − ε_u). */
export function guide(epsCond: Float32Array, epsUncond: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(epsCond.length);
  for (let i = 0; i < out.length; i++) out[i] = epsUncond[i] + scale * (epsCond[i] - epsUncond[i]);
  return out;
}
