/**
 * The generator plug-in point (METHOD.md §2, §2b): the built-in exemplar generator and the
 * diffusion generator (ONNX) take the same input and give the same output, so the engine,
 * the scorer and the export never know which one ran beyond its id and version.
 */
import type { Mask, Raster } from '../image/raster';
import type { MaskTransform } from '../masks/transform';
import type { OutsideChange } from './alignment';
import type { PreparedExemplar } from './defect-layer';

export type AnomalyKind = 'structural' | 'logical';
export type BlendModeSetting = 'opaque' | 'mixed' | 'soft' | 'auto';
export type AppliedBlendMode = 'opaque' | 'mixed' | 'soft' | 'inpaint' | 'exemplar-region';

export interface GenerateInput {
  /** The normal image the anomaly is put into. */
  normal: Raster;
  /** The aligned mask (same size as `normal`): where the anomaly goes and its label. */
  alignedMask: Mask;
  /** T from the few-shot source mask to `alignedMask`, in exemplar-image pixels; null for logical masks. */
  transform: MaskTransform | null;
  /**
   * The few-shot exemplar (I_a, M_a) T was derived from. For a logical mask, optionally an
   * exemplar of its cluster (an image where the part is missing) whose region content is used;
   * null = inpaint. `prepared` is
   * its surface/defect split (prepareExemplar), which a caller making many pairs from one
   * exemplar computes once; `key` names the exemplar so a worker can keep its split.
   */
  exemplar: { image: Raster; mask: Mask; prepared?: PreparedExemplar; key?: string } | null;
  kind: AnomalyKind;
  blendMode: BlendModeSetting;
  seed: number;
  /** Scales the defect's contrast to its surface (variation); 1 = as in the exemplar. */
  contrastGain?: number;
  /** Ring (px) around the aligned mask that the generator may change; each generator has a default. */
  dilateRadius?: number;
}

export interface GenerateOutput {
  /** Same size and channels as `normal`; equal to it byte for byte outside `dilatedMask`. */
  image: Raster;
  /**
   * The label of the pair: the aligned mask itself, or for the exemplar generator's structural
   * pairs the part of it the exemplar's own mask covers (structural.ts).
   */
  mask: Mask;
  blendMode: AppliedBlendMode;
  /** The pixels the generator was allowed to change. */
  dilatedMask: Mask;
  /** How far the pair strays outside its mask (the alignment rule, alignment.ts). */
  outsideChange: OutsideChange;
  /** Why the generator's first choice was not used (e.g. a logical exemplar that did not align), recorded in provenance. */
  fallback?: string;
}

export interface Generator {
  id: string;
  version: string;
  generate(input: GenerateInput): Promise<GenerateOutput>;
}
