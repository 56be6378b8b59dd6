/**
 * The `pack.json` of each model-pack kind (ARCHITECTURE.md "Models"), as zod schemas: the
 * single source of truth for validation and for the JSON Schema files in
 * `resources/pack-schemas/` (regenerated from here, see its README; a test checks they match).
 */
import { z } from 'zod';

export const PACK_KINDS = ['backbone', 'segmenter', 'sd15-onnx', 'gaa-concepts'] as const;
export type PackKind = (typeof PACK_KINDS)[number];

/** Why a relative path may not be used inside a pack, or null when it is safe. */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'is empty';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return "contains '..'";
  if (parts.some((p) => p === '' || p === '.')) return "has an empty or '.' segment";
  return null;
}

const packPath = z
  .string()
  .describe('A path relative to the pack root, with forward slashes, never absolute or containing ".."')
  .superRefine((p, ctx) => {
    const reason = unsafePathReason(p);
    if (reason) ctx.addIssue({ code: 'custom', message: `path '${p}' ${reason}` });
  });

export const tensorDtype = z.enum(['float32', 'float16', 'float64', 'int64', 'int32', 'int8', 'uint8', 'bool']);

export const tensorSpec = z
  .object({
    name: z.string().min(1),
    dtype: tensorDtype,
    shape: z
      .array(z.union([z.number().int().nonnegative(), z.string().min(1), z.null()]))
      .describe('Fixed dimensions as integers, symbolic ones by name (e.g. "batch") or null'),
  })
  .strict();
export type TensorSpec = z.infer<typeof tensorSpec>;

export const modelSpec = z
  .object({ file: packPath, inputs: z.array(tensorSpec).min(1), outputs: z.array(tensorSpec).min(1) })
  .strict();
export type ModelSpec = z.infer<typeof modelSpec>;

const fileEntry = z
  .object({
    path: packPath,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
    bytes: z.number().int().nonnegative().optional(),
  })
  .strict();

const common = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'name must be 1-64 of a-z 0-9 . _ - and start with a letter or digit')
    .describe('Also the folder name the pack installs under'),
  version: z.string().min(1),
  licence: z.string().min(1),
  description: z.string().optional(),
  files: z.array(fileEntry).min(1),
  models: z.record(z.string().min(1), modelSpec),
};

const ddimSettings = z
  .object({
    trainSteps: z.number().int().positive().default(1000),
    betaStart: z.number().positive().default(0.00085),
    betaEnd: z.number().positive().default(0.012),
    stepsOffset: z.number().int().nonnegative().default(1),
  })
  .strict();

export const sd15PackSchema = z
  .object({
    ...common,
    kind: z.literal('sd15-onnx'),
    tokenizer: packPath.describe("Hugging Face tokenizer.json of the pack's CLIP tokenizer"),
    tokenEmbedding: packPath.describe('float32 .npy [vocab, dim]: the text encoder token embedding table'),
    resolution: z.number().int().min(8).multipleOf(8).describe('Square image side the UNet and VAE run at'),
    latentChannels: z.number().int().positive().default(4),
    vaeScalingFactor: z.number().positive().default(0.18215),
    maxLength: z.number().int().min(4).default(77),
    scheduler: ddimSettings.optional(),
  })
  .strict();

export const conceptsPackSchema = z
  .object({
    ...common,
    kind: z.literal('gaa-concepts'),
    embeddingDim: z.number().int().positive().describe('Width of each learned token vector (768 for SD 1.x)'),
    maskSize: z.number().int().positive().describe('Square side of the mask the position encoder takes'),
    featureTokens: z.number().int().positive().default(8),
    positionTokens: z.number().int().positive().default(4),
    placeholder: z.string().min(1).default('A*'),
    prompt: z.string().min(1).default('a photo of A*'),
    baseModel: z.string().optional().describe('Name of the sd15-onnx pack the concepts were trained against'),
    clusters: z
      .array(
        z
          .object({
            id: z.string().min(1),
            name: z.string().optional(),
            ef: packPath.describe('float32 .npy [featureTokens, embeddingDim]: this cluster’s e_f'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const backbonePackSchema = z
  .object({
    ...common,
    kind: z.literal('backbone'),
    inputSize: z.number().int().positive(),
    mean: z.array(z.number()).length(3).optional(),
    std: z.array(z.number()).length(3).optional(),
  })
  .strict();

export const segmenterPackSchema = z
  .object({ ...common, kind: z.literal('segmenter'), inputSize: z.number().int().positive().optional() })
  .strict();

export const packManifestSchema = z.discriminatedUnion('kind', [sd15PackSchema, conceptsPackSchema, backbonePackSchema, segmenterPackSchema]);

export type Sd15PackManifest = z.infer<typeof sd15PackSchema>;
export type ConceptsPackManifest = z.infer<typeof conceptsPackSchema>;
export type BackbonePackManifest = z.infer<typeof backbonePackSchema>;
export type SegmenterPackManifest = z.infer<typeof segmenterPackSchema>;
export type PackManifest = z.infer<typeof packManifestSchema>;

export interface RoleRequirement {
  inputs: readonly string[];
  outputs: readonly string[];
  /** Exact: the model's names must be exactly these (the generator feeds all of them); otherwise at least these. */
  exact: boolean;
}

/** Roles each kind must provide, with the tensor names the workbench feeds and reads. */
export const REQUIRED_ROLES: Record<PackKind, Record<string, RoleRequirement>> = {
  'sd15-onnx': {
    text_encoder: { inputs: ['inputs_embeds'], outputs: ['last_hidden_state'], exact: true },
    unet: { inputs: ['sample', 'timestep', 'encoder_hidden_states'], outputs: ['out_sample'], exact: true },
    vae_encoder: { inputs: ['sample'], outputs: ['latent_sample'], exact: true },
    vae_decoder: { inputs: ['latent_sample'], outputs: ['sample'], exact: true },
  },
  'gaa-concepts': { position_encoder: { inputs: ['mask'], outputs: ['e_p'], exact: true } },
  backbone: { backbone: { inputs: ['image'], outputs: [], exact: false } },
  // SAM's export: the decoder's optional inputs (point_labels, mask_input, …) are fed when declared.
  segmenter: {
    image_encoder: { inputs: [], outputs: [], exact: false },
    prompt_decoder: { inputs: ['image_embeddings', 'point_coords'], outputs: ['masks'], exact: false },
  },
};

/** Files a manifest refers to besides its models, which must therefore be listed (and hashed) in `files`. */
export function referencedFiles(m: PackManifest): string[] {
  const refs = Object.values(m.models).map((s) => s.file);
  if (m.kind === 'sd15-onnx') refs.push(m.tokenizer, m.tokenEmbedding);
  if (m.kind === 'gaa-concepts') refs.push(...m.clusters.map((c) => c.ef));
  return refs;
}

/** JSON Schema (draft 2020-12) of each kind's pack.json, as written to resources/pack-schemas/<kind>.schema.json. */
export function packJsonSchemas(): Record<PackKind, unknown> {
  const one = (s: z.ZodType, kind: PackKind): unknown => ({
    ...(z.toJSONSchema(s, { io: 'input' }) as object),
    title: `GAA Workbench model pack: ${kind}`,
  });
  return {
    'sd15-onnx': one(sd15PackSchema, 'sd15-onnx'),
    'gaa-concepts': one(conceptsPackSchema, 'gaa-concepts'),
    backbone: one(backbonePackSchema, 'backbone'),
    segmenter: one(segmenterPackSchema, 'segmenter'),
  };
}
