/**
 * An aligned mask (PNG 0/255) over its image as a tint, in CSS only: many tiles show one
 * each, and a canvas per tile would read back every mask's pixels. White × tint = tint on
 * the defect, black elsewhere; screened onto the image, black changes nothing.
 */
import { useState } from 'react';
import { api } from '../api';

export const MASK_TINT = 'rgb(255, 48, 96)';

export function TintedMask({ maskId, opacity = 0.6 }: { maskId: number; opacity?: number }) {
  // Until the mask arrives the tint would cover the whole image.
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  return (
    <div className="tinted-mask" style={{ backgroundColor: MASK_TINT, opacity, visibility: state === 'loaded' ? 'visible' : 'hidden' }} data-testid="mask-tint" data-mask-id={maskId} data-state={state}>
      <img src={api.imageUrl({ kind: 'alignedMask', id: maskId })} alt="" draggable={false} loading="lazy" decoding="async" onLoad={() => setState('loaded')} onError={() => setState('failed')} />
    </div>
  );
}

/** An image with its aligned mask tinted on top, both in one box of the image's aspect ratio. */
export function MaskedImage({
  src,
  maskId,
  width,
  height,
  showMask,
  testId,
  opacity,
}: {
  src: string;
  maskId: number;
  width: number;
  height: number;
  showMask: boolean;
  testId?: string;
  opacity?: number;
}) {
  return (
    <div className="masked-image" style={{ aspectRatio: `${width} / ${height}` }}>
      <img src={src} alt="" draggable={false} loading="lazy" decoding="async" data-testid={testId} />
      {showMask && <TintedMask maskId={maskId} opacity={opacity} />}
    </div>
  );
}
