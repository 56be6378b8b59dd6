/**
 * SVG filters the review images use: the score map arrives as 8-bit gray (min-max scaled per
 * image), and a colour map applied by the compositor needs no pixel read-back, so it works for
 * images from any origin (the Electron image protocol included).
 */

/** An inferno-like ramp: dark purple (low) → orange → pale yellow (high). */
const RAMP = {
  r: '0 0.34 0.73 0.98 0.99',
  g: '0 0.06 0.21 0.55 0.99',
  b: '0.02 0.42 0.33 0.04 0.64',
};

export const HEAT_FILTER = 'review-heat';
export const MASK_FILTER = 'review-mask';

export function ReviewFilters() {
  return (
    <svg width="0" height="0" style={{ position: 'absolute' }} aria-hidden="true">
      <defs>
        <filter id={HEAT_FILTER} colorInterpolationFilters="sRGB">
          <feComponentTransfer>
            <feFuncR type="table" tableValues={RAMP.r} />
            <feFuncG type="table" tableValues={RAMP.g} />
            <feFuncB type="table" tableValues={RAMP.b} />
          </feComponentTransfer>
        </filter>
        {/* Mask pixels become a red tint whose opacity is the mask value: background stays clear. */}
        <filter id={MASK_FILTER} colorInterpolationFilters="sRGB">
          <feColorMatrix type="matrix" values="0 0 0 0 1  0 0 0 0 0.19  0 0 0 0 0.38  1 0 0 0 0" />
        </filter>
      </defs>
    </svg>
  );
}

/** The heat-map legend: the same ramp as the filter, low to high. */
export function HeatLegend() {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t, i) => {
    const c = (k: 'r' | 'g' | 'b') => Math.round(Number(RAMP[k].split(' ')[i]) * 255);
    return `rgb(${c('r')},${c('g')},${c('b')}) ${t * 100}%`;
  });
  return (
    <span className="heat-legend" title="Score map, scaled per image: low → high">
      <span className="muted small">low</span>
      <span className="heat-ramp" style={{ background: `linear-gradient(90deg, ${stops.join(', ')})` }} />
      <span className="muted small">high</span>
    </span>
  );
}
