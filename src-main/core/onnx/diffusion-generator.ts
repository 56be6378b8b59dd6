/**
 * The diffusion generator (METHOD.md §2, paper §3.4) on an SD 1.x ONNX pack and a GAA concept
 * pack: prompt "a photo of A*" with A* = {e_f, e_p} spliced in as embeddings → text encoder →
 * DDIM (η = 0) with the UNet, classifier-free guidance optional, and mask-guided latent
 * blending at every step (outside the latent mask the latent is the normal image's latent
 * noised to that step) → VAE decoder → composite so every pixel outside the dilated mask is
 * the normal image's, byte for byte.
 */
import { dilate } from '../image/morphology';
import { maskArea } from '../image/raster';
import { alignmentBand, measureOutsideChange } from '../generate/alignment';
import type { GenerateInput, GenerateOutput, Generator } from '../generate/types';
import { conceptVectors, loadConcept, type ConceptModel } from './concepts';
import { SD15_DDIM, createDdimScheduler, ddimTimesteps, type DdimConfig } from './ddim';
import { readNpy, type NpyArray } from './npy';
import { guide, sampleLatent } from './sampler';
import type { ConceptsPack, Sd15Pack } from './packs';
import { createPromptTokenizer, encodePrompt, promptEmbeddings, type PromptTokenizer } from './tokenizer';
import { tensor, type OpenedSession, type PackRuntime, type Provider, type ProviderRequest, type Tensor } from './runtime';
import { compositeDecoded, gaussianNoise, maskToLatent, rasterToPixelTensor } from './tensor-image';

export const DIFFUSION_GENERATOR_VERSION = '1.0.0';

export interface DiffusionOptions {
  /** Opens the packs' models and reads their arrays and tokenizer. */
  runtime: PackRuntime;
  provider?: ProviderRequest;
  /** DDIM steps (default 50). */
  steps?: number;
  /** Classifier-free guidance scale; ≤ 1 runs the conditional branch only (default 7.5). */
  guidanceScale?: number;
  /** Fraction of the schedule run, from the normal image's latent noised to the first step (default 1). */
  strength?: number;
  /** Defaults to the concept pack's prompt ("a photo of A*"). */
  prompt?: string;
  negativePrompt?: string;
  intraOpThreads?: number;
}

export interface RuntimeReport {
  /** Provider per model role, and why a role is on the CPU when CUDA was asked for. */
  providers: Record<string, { provider: Provider; fallbackReason: string | null }>;
}

export interface DiffusionGenerator extends Generator {
  /** Opens the sessions (if not yet) and says which execution provider each model runs on. */
  runtime(): Promise<RuntimeReport>;
}

interface Loaded {
  tokenizer: PromptTokenizer;
  tokenEmbedding: NpyArray;
  concept: ConceptModel;
  sessions: Record<'text_encoder' | 'unet' | 'vae_encoder' | 'vae_decoder', OpenedSession>;
  positionEncoder: OpenedSession;
  timestepType: 'int64' | 'int32' | 'float32';
  timestepDims: number[];
  uncond: Float32Array | null;
}

function float32Only(s: OpenedSession, role: string, names: string[]): void {
  for (const t of s.session.describe().inputs) {
    if (names.includes(t.name) && t.dtype !== null && t.dtype !== 'float32') {
      throw new Error(`the ${role}'s input '${t.name}' is ${t.dtype}; this generator runs float32 packs only`);
    }
  }
}

/** A tensor's data as float32, whatever the runtime hands back. */
function floats(t: Tensor): Float32Array {
  if (t.type !== 'float32') throw new Error(`expected a float32 output, got ${t.type}`);
  return t.data as Float32Array;
}

export function createDiffusionGenerator(
  pack: Sd15Pack,
  concepts: { pack: ConceptsPack; clusterId: string },
  options: DiffusionOptions,
): DiffusionGenerator {
  const m = pack.manifest;
  const cm = concepts.pack.manifest;
  const runtime = options.runtime;
  const sessionOptions = { provider: options.provider ?? 'auto', intraOpThreads: options.intraOpThreads };
  const steps = options.steps ?? 50;
  const guidance = options.guidanceScale ?? 7.5;
  const strength = options.strength ?? 1;
  if (!(strength > 0 && strength <= 1)) throw new Error(`strength must be in (0, 1], got ${strength}`);
  const prompt = options.prompt ?? cm.prompt;
  const ddim: DdimConfig = { ...SD15_DDIM, ...(m.scheduler ?? {}) };
  ddimTimesteps(steps, ddim);
  if (!Number.isFinite(guidance)) throw new Error(`guidance scale must be a number, got ${guidance}`);
  let loading: Promise<Loaded> | null = null;

  const textEncode = async (l: Pick<Loaded, 'sessions'>, embeds: Float32Array): Promise<Float32Array> => {
    const dim = embeds.length / m.maxLength;
    const out = await l.sessions.text_encoder.session.run({ inputs_embeds: tensor('float32', embeds, [1, m.maxLength, dim]) });
    return floats(out.last_hidden_state);
  };

  const load = async (): Promise<Loaded> => {
    const open = (role: string): Promise<OpenedSession> => runtime.session(pack.dir, m.models[role].file, sessionOptions);
    const sessions = {
      text_encoder: await open('text_encoder'),
      unet: await open('unet'),
      vae_encoder: await open('vae_encoder'),
      vae_decoder: await open('vae_decoder'),
    };
    const positionEncoder = await runtime.session(concepts.pack.dir, cm.models.position_encoder.file, sessionOptions);
    float32Only(sessions.unet, 'UNet', ['sample', 'encoder_hidden_states']);
    float32Only(sessions.text_encoder, 'text encoder', ['inputs_embeds']);
    const ts = sessions.unet.session.describe().inputs.find((t) => t.name === 'timestep');
    const tsType = ts?.dtype ?? 'int64';
    if (tsType !== 'int64' && tsType !== 'int32' && tsType !== 'float32') {
      throw new Error(`the UNet's timestep is ${tsType}; supported are int64, int32 and float32`);
    }
    const tokenizer = createPromptTokenizer(JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await runtime.readFile(pack.dir, m.tokenizer))), m.maxLength);
    const tokenEmbedding = readNpy(await runtime.readFile(pack.dir, m.tokenEmbedding));
    const concept = await loadConcept(runtime, concepts.pack, concepts.clusterId, positionEncoder);
    if (tokenEmbedding.shape[1] !== concept.embeddingDim) {
      throw new Error(`the concepts are ${concept.embeddingDim} wide but the pack's token embeddings are ${tokenEmbedding.shape[1]}`);
    }
    const uncond =
      guidance > 1
        ? await textEncode({ sessions }, promptEmbeddings(encodePrompt(tokenizer, options.negativePrompt ?? '', cm.placeholder, 0), tokenEmbedding, null))
        : null;
    return {
      tokenizer,
      tokenEmbedding,
      concept,
      sessions,
      positionEncoder,
      timestepType: tsType,
      timestepDims: ts?.shape?.length === 0 ? [] : [1],
      uncond,
    };
  };
  const loaded = (): Promise<Loaded> => {
    if (!loading) {
      loading = load();
      loading.catch(() => (loading = null));
    }
    return loading;
  };

  const timestepTensor = (l: Loaded, t: number): Tensor => {
    if (l.timestepType === 'int64') return tensor('int64', BigInt64Array.from([BigInt(t)]), l.timestepDims);
    if (l.timestepType === 'int32') return tensor('int32', Int32Array.from([t]), l.timestepDims);
    return tensor('float32', Float32Array.from([t]), l.timestepDims);
  };

  const generate = async (input: GenerateInput): Promise<GenerateOutput> => {
    const { normal, alignedMask } = input;
    if (normal.width !== alignedMask.width || normal.height !== alignedMask.height) {
      throw new Error(`aligned mask is ${alignedMask.width}×${alignedMask.height} but the normal image is ${normal.width}×${normal.height}`);
    }
    if (maskArea(alignedMask) === 0) throw new Error('aligned mask is empty');
    const l = await loaded();
    const size = m.resolution;
    // At least one latent cell (8 px at the pack's resolution) around the mask, in image pixels.
    const radius = input.dilateRadius ?? Math.max(3, Math.ceil((8 * Math.max(normal.width, normal.height)) / size));
    const dilated = dilate(alignedMask, radius);

    const condEmbeds = promptEmbeddings(
      encodePrompt(l.tokenizer, prompt, cm.placeholder, l.concept.featureTokens + l.concept.positionTokens),
      l.tokenEmbedding,
      await conceptVectors(l.concept, alignedMask),
    );
    const cond = await textEncode(l, condEmbeds);
    const hiddenDim = cond.length / m.maxLength;

    const encoded = await l.sessions.vae_encoder.session.run({
      sample: tensor('float32', rasterToPixelTensor(normal, size), [1, 3, size, size]),
    });
    const latentOut = encoded.latent_sample;
    const [, outChannels, lh, lw] = latentOut.dims.map(Number);
    const c = m.latentChannels;
    if (outChannels !== c && outChannels !== 2 * c) throw new Error(`the VAE encoder gave ${outChannels} latent channels, expected ${c}`);
    const n = c * lh * lw;
    // Exports that return the distribution's parameters give mean then log-variance: the mean is the latent.
    const z0 = floats(latentOut).slice(0, n);
    for (let i = 0; i < n; i++) z0[i] *= m.vaeScalingFactor;

    const scheduler = createDdimScheduler(steps, ddim);
    const skip = steps - Math.min(steps, Math.floor(steps * strength));
    const ehs = (h: Float32Array): Tensor => tensor('float32', h, [1, m.maxLength, hiddenDim]);
    const latent = await sampleLatent({
      scheduler,
      timesteps: scheduler.timesteps.slice(skip),
      z0,
      noise: gaussianNoise(n, input.seed),
      inside: maskToLatent(dilated, lw, lh),
      channels: c,
      predictNoise: async (x, t) => {
        const feeds = { sample: tensor('float32', x, [1, c, lh, lw]), timestep: timestepTensor(l, t) };
        const epsCond = floats((await l.sessions.unet.session.run({ ...feeds, encoder_hidden_states: ehs(cond) })).out_sample);
        if (!l.uncond) return epsCond;
        const epsUncond = floats((await l.sessions.unet.session.run({ ...feeds, encoder_hidden_states: ehs(l.uncond) })).out_sample);
        return guide(epsCond, epsUncond, guidance);
      },
    });
    for (let i = 0; i < n; i++) latent[i] /= m.vaeScalingFactor;
    const decoded = (await l.sessions.vae_decoder.session.run({ latent_sample: tensor('float32', latent, [1, c, lh, lw]) })).sample;
    const [, dc, dh, dw] = decoded.dims.map(Number);
    if (dc !== 3 || dh !== size || dw !== size) throw new Error(`the VAE decoder gave [${decoded.dims.join(', ')}], expected [1, 3, ${size}, ${size}]`);
    // The latent is blended on the wider dilated mask, but only the aligned mask and its alignment
    // band take decoded pixels: every visible change stays on the label (METHOD.md §2b).
    const band = dilate(alignedMask, alignmentBand(normal.width, normal.height));
    const image = compositeDecoded(normal, floats(decoded), size, band);
    return {
      image,
      mask: alignedMask,
      blendMode: input.kind === 'logical' ? 'inpaint' : 'opaque',
      dilatedMask: band,
      outsideChange: measureOutsideChange(normal, image, alignedMask),
    };
  };

  return {
    id: 'diffusion-sd15',
    version: `${DIFFUSION_GENERATOR_VERSION}+${pack.name}@${m.version}+${concepts.pack.name}@${cm.version}#${concepts.clusterId}`,
    generate,
    runtime: async () => {
      const l = await loaded();
      const providers: RuntimeReport['providers'] = {};
      for (const [role, s] of Object.entries({ ...l.sessions, position_encoder: l.positionEncoder })) {
        providers[role] = { provider: s.provider, fallbackReason: s.fallbackReason };
      }
      return { providers };
    },
  };
}
