/**
 * A mask (PNG 0/255: an aligned mask, or a generated pair's label) over its image as a tint or
 * an outline (the app's mask style), in CSS only: many tiles show one each, and a canvas per tile
 * would read back every mask's pixels.
 * Fill: white × tint = tint on the defect, black elsewhere; screened onto the image, black
 * changes nothing. Outline: an SVG filter draws a ring around the mask (MaskFilters).
 */
import { useState } from 'react';
import { imageRefPath, type ImageRef } from '../../../src-main/api/image-ref';
import { api } from '../api';
import { MASK_OUTLINE_FILTER } from '../components/MaskFilters';
import { useMaskStyle } from '../state/maskStyle';

export const MASK_TINT = 'rgb(255, 48, 96)';

/** `mask`: an aligned mask (`alignedMask`) or a pair's label (`sampleMask`); data-mask names it (`sample-mask/7`). */
export function TintedMask({ mask, opacity = 0.6 }: { mask: Extract<ImageRef, { kind: 'alignedMask' | 'sampleMask' }>; opacity?: number }) {
  // Until the mask arrives the tint would cover the whole image.
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const style = useMaskStyle();
  const src = api.imageUrl(mask);
  const named = imageRefPath(mask);
  const load = { onLoad: () => setState('loaded'), onError: () => setState('failed') };
  if (style === 'outline') {
    return (
      <div className="tinted-mask outline" style={{ visibility: state === 'loaded' ? 'visible' : 'hidden' }} data-testid="mask-tint" data-mask={named} data-state={state} data-style="outline">
        <img src={src} alt="" draggable={false} loading="lazy" decoding="async" style={{ filter: `url(#${MASK_OUTLINE_FILTER})` }} {...load} />
      </div>
    );
  }
  return (
    <div className="tinted-mask" style={{ backgroundColor: MASK_TINT, opacity, visibility: state === 'loaded' ? 'visible' : 'hidden' }} data-testid="mask-tint" data-mask={named} data-state={state} data-style="fill">
      <img src={src} alt="" draggable={false} loading="lazy" decoding="async" {...load} />
    </div>
  );
}

/** An image with a mask (aligned mask or pair label) tinted on top, both in one box of the image's aspect ratio. */
export function MaskedImage({
  src,
  mask,
  width,
  height,
  showMask,
  testId,
  opacity,
}: {
  src: string;
  mask: Extract<ImageRef, { kind: 'alignedMask' | 'sampleMask' }>;
  width: number;
  height: number;
  showMask: boolean;
  testId?: string;
  opacity?: number;
}) {
  return (
    <div className="masked-image" style={{ aspectRatio: `${width} / ${height}` }}>
      <img src={src} alt="" draggable={false} loading="lazy" decoding="async" data-testid={testId} />
      {showMask && <TintedMask mask={mask} opacity={opacity} />}
    </div>
  );
}
