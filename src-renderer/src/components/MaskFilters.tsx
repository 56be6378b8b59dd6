/**
 * SVG filters that draw a mask image (white on black) as a tint or an outline in the compositor,
 * without reading its pixels back: they work for images from any origin (the Electron image
 * protocol included) and for hundreds of gallery tiles. Mounted once for the whole app.
 */
export const MASK_OUTLINE_FILTER = 'gaa-mask-outline';

/** The mask tint's colour, as 0–1 channel values (rgb(255, 48, 96)). */
const TINT = '0 0 0 0 1  0 0 0 0 0.19  0 0 0 0 0.38';

export function MaskFilters() {
  return (
    <svg width="0" height="0" style={{ position: 'absolute' }} aria-hidden="true">
      <defs>
        {/* The mask's brightness becomes the alpha of the tint; dilated by a pixel, minus itself: a ring around the defect. */}
        <filter id={MASK_OUTLINE_FILTER} colorInterpolationFilters="sRGB" x="-5%" y="-5%" width="110%" height="110%">
          <feColorMatrix type="matrix" values={`${TINT}  1 0 0 0 0`} result="tint" />
          <feMorphology in="tint" operator="dilate" radius="1.5" result="grown" />
          <feComposite in="grown" in2="tint" operator="out" />
        </filter>
      </defs>
    </svg>
  );
}
