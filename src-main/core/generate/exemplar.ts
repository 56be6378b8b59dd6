/**
 * The built-in exemplar generator (METHOD.md §2b): no model weights. Structural anomalies put
 * the few-shot exemplar's defect layer, warped with the aligned mask's recorded transform, on
 * the target's surface (structural.ts); logical ("missing") anomalies take the region's content
 * from a registered exemplar where the part is missing (logical.ts), else refill it from its
 * surroundings. Only pixels of the aligned mask change: the pair is aligned by construction, and
 * each output carries its measured change outside its label (alignment.ts). A structural pair's
 * label is the part of the aligned mask the exemplar's own mask covers (structural.ts).
 */
import { measureOutsideChange } from './alignment';
import type { Mask, Raster } from '../image/raster';
import { chooseBlendMode } from './blend-mode';
import { maskBox } from './box';
import { prepareExemplar } from './defect-layer';
import { inpaint } from './inpaint';
import { logicalFromExemplar } from './logical';
import { composeStructural } from './structural';
import type { GenerateInput, GenerateOutput, Generator } from './types';

/** Default seam band of the diffusion generator: 1.5 % of the longer image side, at least 3 px. */
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

/** `mask` is the pair's label; `changeable` the pixels the generator could change (the aligned mask). */
function output(normal: Raster, image: Raster, mask: Mask, changeable: Mask, blendMode: GenerateOutput['blendMode'], fallback?: string): GenerateOutput {
  return { image, mask, blendMode, dilatedMask: changeable, outsideChange: measureOutsideChange(normal, image, mask), ...(fallback ? { fallback } : {}) };
}

export const exemplarGenerator: Generator = {
  id: 'exemplar',
  // 2: defect layer on the target's surface, only the aligned mask changes (was: Poisson in a dilated band).
  // 3: the Poisson solves (mixed seam, surface fill) are preconditioned with MIC(0) instead of the
  //    diagonal: same tolerances, solutions within 0.05 of version 2's, so a few pixels round 1 level apart.
  // 4: a mixed blend's change is scaled back up to its mark's strength (structural.ts markStrengthRestore).
  // 5: that scale is found per LAB channel (a*, b* to the exemplar's own colour shift), not read
  //    off L* for all three; grey images are unchanged (their a*, b* never change).
  // 6: a structural pair's label is where the exemplar's own mask lands inside the aligned mask,
  //    not the whole closed polygon, and only pixels within 1 px of it change (structural.ts).
  // 7: where the mixed solve's change is lighter and darker in parts that cancel in its mean
  //    (structural.ts changeBalance), its restore never takes its energy past the mark's own.
  version: '7',
  async generate(input: GenerateInput): Promise<GenerateOutput> {
    checkInput(input);
    const { normal, alignedMask } = input;
    if (input.kind === 'logical') {
      // The region's content comes from a real exemplar where the part is missing; inpainting
      // (inside the mask only) is the fallback, and says why.
      let fallback = 'no exemplar of the cluster was given';
      if (input.exemplar) {
        const real = logicalFromExemplar(normal, alignedMask, input.exemplar.image);
        if (real.ok) return output(normal, real.image, alignedMask, alignedMask, 'exemplar-region');
        fallback = real.reason;
      }
      return output(normal, inpaint(normal, alignedMask, { seed: input.seed }), alignedMask, alignedMask, 'inpaint', fallback);
    }
    if (!input.exemplar || !input.transform) {
      throw new Error('a structural anomaly needs its exemplar and the mask transform');
    }
    if (!(input.transform.scale > 0) || !Number.isFinite(input.transform.scale)) {
      throw new Error(`mask transform scale must be a positive number, got ${input.transform.scale}`);
    }
    const prepared = input.exemplar.prepared ?? prepareExemplar(input.exemplar.image, input.exemplar.mask);
    // Chosen once per prepared exemplar (a job reuses it for every pair it makes), and only when asked.
    const mode = input.blendMode === 'auto' ? (prepared.blend ??= chooseBlendMode(input.exemplar.image, input.exemplar.mask)).mode : input.blendMode;
    const gain = input.contrastGain ?? 1;
    if (!(gain > 0) || !Number.isFinite(gain)) throw new Error(`contrast gain must be a positive number, got ${gain}`);
    const { image, label } = composeStructural({ normal, alignedMask, exemplar: prepared, transform: input.transform, mode, contrastGain: gain });
    return output(normal, image, label, alignedMask, mode);
  },
};
