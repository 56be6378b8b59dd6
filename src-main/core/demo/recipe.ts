import { z } from 'zod';

/**
 * The demo recipe (resources/demo/recipe.json): what to draw, how many, at which sizes, and
 * every parameter range a generator samples from. Changing anything that changes the
 * output must bump `version`, since the version stamp decides whether to regenerate.
 */

const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: 'a range is written [min, max] with min <= max' });
export type Range = z.infer<typeof range>;

const rgb = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]);
const size = z.tuple([z.number().int().min(64).max(2048), z.number().int().min(64).max(2048)]);

const camera = z.object({
  exposure: range,
  gradient: range,
  vignette: range,
  cast: z.number().min(0).max(0.2),
  blurSigma: range,
  readNoise: range,
  shotNoise: z.number().min(0),
});

const anomaly = z.object({
  /** Folder under test/ (several subtypes may share one coarse folder). */
  folder: z.string().regex(/^[a-z0-9_]+$/),
  subtype: z.string().regex(/^[a-z0-9_]+$/),
  kind: z.enum(['structural', 'logical']),
  count: z.number().int().min(0),
  params: z.record(z.string(), range),
});
export type AnomalySpec = z.infer<typeof anomaly>;

const common = {
  name: z.string().regex(/^[a-z0-9_]+$/),
  sizes: z.array(size).min(1),
  train: z.number().int().min(0),
  testGood: z.number().int().min(0),
  camera,
  anomalies: z.array(anomaly),
};

const tileSurface = z.object({
  baseColor: rgb,
  colorJitter: z.number().min(0),
  mottleCell: range,
  mottleAmp: range,
  grainAngle: range,
  grainStretch: range,
  grainCell: range,
  grainAmp: range,
  roughAmp: range,
  speckleDensity: range,
  speckleRadius: range,
  pebbleDensity: range,
  pebbleRadius: range,
});
export type TileSurface = z.infer<typeof tileSurface>;

const nutboxScene = z.object({
  regions: z.array(z.string()).min(1),
  background: rgb,
  trayColor: rgb,
  colorJitter: z.number().min(0),
  /** Tray width as a fraction of the image width. */
  trayWidthFrac: range,
  translateFrac: z.number().min(0).max(0.2),
  rotationDeg: z.number().min(0).max(45),
  nutCount: range,
  nutLength: range,
  cerealCount: range,
  flakeRadius: range,
});
export type NutboxScene = z.infer<typeof nutboxScene>;

const category = z.discriminatedUnion('generator', [
  z.object({ generator: z.literal('tile'), ...common, surface: tileSurface }),
  z.object({ generator: z.literal('nutbox'), ...common, scene: nutboxScene }),
]);
export type CategorySpec = z.infer<typeof category>;

export const recipeSchema = z.object({
  version: z.string().min(1),
  seed: z.number().int(),
  categories: z.array(category).min(1),
});
export type Recipe = z.infer<typeof recipeSchema>;

/** A sampled parameter the recipe must provide; a missing one is a recipe error, not a silent default. */
export function need(params: Record<string, Range>, key: string, where: string): Range {
  const r = params[key];
  if (!r) throw new Error(`demo recipe: ${where} lacks parameter "${key}"`);
  return r;
}

export function parseRecipe(json: unknown): Recipe {
  const parsed = recipeSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`demo recipe is invalid: ${issues}`);
  }
  return parsed.data;
}
