/**
 * The generator plug-in point (METHOD.md §2, §2b): the built-in exemplar generator and the
 * diffusion generator (ONNX) take the same input and give the same output, so the engine,
 * the scorer and the export never know which one ran beyond its id and version.
 */
import type { Mask, Raster } from '../image/raster';
import type { MaskTransform } from '../masks/transform';

export type AnomalyKind = 'structural' | 'logical';
export type BlendModeSetting = 'opaque' | 'mixed' | 'auto';
export type AppliedBlendMode = 'opaque' | 'mixed' | 'inpaint';

export interface GenerateInput {
  /** The normal image the anomaly is put into. */
  normal: Raster;
  /** The aligned mask (same size as `normal`): where the anomaly goes and its label. */
  alignedMask: Mask;
  /** T from the few-shot source mask to `alignedMask`, in exemplar-image pixels; null for logical masks. */
  transform: MaskTransform | null;
  /** The few-shot exemplar (I_a, M_a) T was derived from; null for logical masks. */
  exemplar: { image: Raster; mask: Mask } | null;
  kind: AnomalyKind;
  blendMode: BlendModeSetting;
  seed: number;
  /** Ring (px) around the aligned mask that the generator may change; each generator has a default. */
  dilateRadius?: number;
}

export interface GenerateOutput {
  /** Same size and channels as `normal`; equal to it byte for byte outside `dilatedMask`. */
  image: Raster;
  /** The aligned mask itself: the label of the pair. */
  mask: Mask;
  blendMode: AppliedBlendMode;
  /** The pixels the generator was allowed to change. */
  dilatedMask: Mask;
}

export interface Generator {
  id: string;
  version: string;
  generate(input: GenerateInput): Promise<GenerateOutput>;
}
