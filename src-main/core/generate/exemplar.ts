/**
 * The built-in exemplar generator (METHOD.md §2b): no model weights. Structural anomalies
 * warp the few-shot exemplar with the aligned mask's recorded transform, adapt its colour in
 * LAB to the target surface, and blend it with a Poisson solve inside the dilated mask;
 * logical ("missing") anomalies inpaint the region from its surroundings. Pixels outside
 * the dilated mask are the normal image's, byte for byte.
 */
import { labToSrgbInto } from '../image/colour';
import { dilate } from '../image/morphology';
import type { Mask, Raster } from '../image/raster';
import type { MaskTransform } from '../masks/transform';
import { chooseBlendMode } from './blend-mode';
import { adaptColour, anomalyStats } from './colour';
import { boxHeight, boxWidth, growBox, maskBox, type Box } from './box';
import { inpaint } from './inpaint';
import { colourChannels, lToGray, rasterToLab } from './lab';
import { blendMixed, blendOpaque } from './poisson';
import type { AppliedBlendMode, GenerateInput, GenerateOutput, Generator } from './types';
import { sampleBilinear, sampledBox, sourceCoordinates } from './warp';

/** Default seam band: 1.5 % of the longer image side, at least 3 px (4 px at 256², 15 px at 1024²). */
export function defaultDilateRadius(width: number, height: number): number {
  return Math.max(3, Math.round(0.015 * Math.max(width, height)));
}

function checkInput(input: GenerateInput): void {
  const { normal, alignedMask } = input;
  if (normal.width !== alignedMask.width || normal.height !== alignedMask.height) {
    throw new Error(
      `aligned mask is ${alignedMask.width}×${alignedMask.height} but the normal image is ${normal.width}×${normal.height}`,
    );
  }
  if (!maskBox(alignedMask)) throw new Error('aligned mask is empty');
  const ex = input.exemplar;
  if (ex && (ex.mask.width !== ex.image.width || ex.mask.height !== ex.image.height)) {
    throw new Error(`exemplar mask is ${ex.mask.width}×${ex.mask.height} but its image is ${ex.image.width}×${ex.image.height}`);
  }
}

/** Copies `result`'s colour channels into `normal` on the dilated mask only; alpha stays. */
function composite(normal: Raster, dilated: Mask, box: Box, result: Float64Array, nc: number): Raster {
  const data = Uint8Array.from(normal.data);
  const w = boxWidth(box);
  const ch = normal.channels;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * normal.width + x;
      if (dilated.data[i] === 0) continue;
      const r = ((y - box.y0) * w + (x - box.x0)) * nc;
      for (let c = 0; c < nc; c++) data[i * ch + c] = Math.min(255, Math.max(0, Math.round(result[r + c])));
    }
  }
  return { width: normal.width, height: normal.height, channels: normal.channels, data };
}

function generateStructural(
  input: GenerateInput,
  exemplar: { image: Raster; mask: Mask },
  transform: MaskTransform,
  dilated: Mask,
  radius: number,
): { image: Raster; mode: AppliedBlendMode } {
  const { normal, alignedMask } = input;
  const mode = input.blendMode === 'auto' ? chooseBlendMode(exemplar.image, exemplar.mask).mode : input.blendMode;
  const box = growBox(maskBox(dilated)!, 1, normal.width, normal.height);
  const w = boxWidth(box);
  const h = boxHeight(box);
  const n = w * h;

  const coords = sourceCoordinates(transform, box);
  const src = sampledBox(coords, exemplar.image.width, exemplar.image.height);
  if (!src) throw new Error('the transform maps the aligned mask entirely outside the exemplar image');
  const plane = { ...src, width: boxWidth(src), height: boxHeight(src), channels: 3 };
  const lab = rasterToLab(exemplar.image, src.x0, src.y0, plane.width, plane.height);
  const warped = sampleBilinear({ ...plane, data: lab }, exemplar.image.width, exemplar.image.height, coords);

  // The exemplar's ring is the same band, measured in exemplar pixels.
  const exemplarRing = anomalyStats(exemplar.image, exemplar.mask, Math.max(2, Math.round(radius / transform.scale))).ring;
  const targetRing = anomalyStats(normal, alignedMask, radius).ring;
  // A mask with no surface around it (it fills its image) has nothing to adapt to.
  const adapted =
    exemplarRing.count > 0 && targetRing.count > 0 ? adaptColour(warped.values, exemplarRing.mean, targetRing.mean) : warped.values;

  const nc = colourChannels(normal);
  const ch = normal.channels;
  const source = new Float64Array(n * nc);
  const target = new Float64Array(n * nc);
  const domain = new Uint8Array(n);
  const core = new Uint8Array(n);
  const rgb = new Float64Array(3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      const i = (box.y0 + y) * normal.width + box.x0 + x;
      for (let c = 0; c < nc; c++) target[k * nc + c] = normal.data[i * ch + c];
      domain[k] = dilated.data[i] !== 0 ? 1 : 0;
      core[k] = alignedMask.data[i] !== 0 ? 1 : 0;
      if (!warped.valid[k]) {
        // No exemplar pixel maps here: let the surface guide the solve.
        for (let c = 0; c < nc; c++) source[k * nc + c] = target[k * nc + c];
      } else if (nc === 1) {
        source[k] = lToGray(adapted[3 * k]);
      } else {
        labToSrgbInto(adapted[3 * k], adapted[3 * k + 1], adapted[3 * k + 2], rgb, 0);
        source[k * 3] = rgb[0];
        source[k * 3 + 1] = rgb[1];
        source[k * 3 + 2] = rgb[2];
      }
    }
  }
  const blendInput = { width: w, height: h, channels: nc, source, target, domain };
  const blended = mode === 'opaque' ? blendOpaque({ ...blendInput, core }) : blendMixed(blendInput);
  return { image: composite(normal, dilated, box, blended.image, nc), mode };
}

export const exemplarGenerator: Generator = {
  id: 'exemplar',
  version: '1',
  async generate(input: GenerateInput): Promise<GenerateOutput> {
    checkInput(input);
    const { normal, alignedMask } = input;
    const radius = input.dilateRadius ?? defaultDilateRadius(normal.width, normal.height);
    const dilated = dilate(alignedMask, radius);
    if (input.kind === 'logical') {
      // The whole dilated region is refilled so no rim of the removed part survives.
      const image = inpaint(normal, dilated, { seed: input.seed });
      return { image, mask: alignedMask, blendMode: 'inpaint', dilatedMask: dilated };
    }
    if (!input.exemplar || !input.transform) {
      throw new Error('a structural anomaly needs its exemplar and the mask transform');
    }
    if (!(input.transform.scale > 0) || !Number.isFinite(input.transform.scale)) {
      throw new Error(`mask transform scale must be a positive number, got ${input.transform.scale}`);
    }
    const { image, mode } = generateStructural(input, input.exemplar, input.transform, dilated, radius);
    return { image, mask: alignedMask, blendMode: mode, dilatedMask: dilated };
  },
};
