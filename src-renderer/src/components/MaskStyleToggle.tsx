/** The fill / outline switch of mask overlays (O), the same choice on every screen. */
import { toggleMaskStyle, useMaskStyle } from '../state/maskStyle';

export function MaskStyleToggle({ disabled = false }: { disabled?: boolean }) {
  const style = useMaskStyle();
  return (
    <button
      type="button"
      className={style === 'outline' ? 'btn small active' : 'btn small'}
      onClick={toggleMaskStyle}
      disabled={disabled}
      aria-pressed={style === 'outline'}
      title="Draw masks as an outline instead of a fill (O)"
      data-testid="mask-style"
      data-style={style}
    >
      Outline <kbd>O</kbd>
    </button>
  );
}
