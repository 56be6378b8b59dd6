/**
 * "Features: built-in / <backbone pack>": which feature extractor a clustering run (AMFC's
 * deep block, METHOD.md §1) or a scoring run (F_β, METHOD.md §5) uses. Shown only when a
 * backbone pack is installed: without one the built-in features are the only choice.
 */
import { useEffect } from 'react';
import type { PackInfo } from '../../../src-main/api/contract';
import { packsOfKind } from '../synthesis/usePacks';

/** `value` is the chosen backbone pack's name, or null for the built-in features. */
export function BackboneSelect({
  packs,
  value,
  onChange,
  builtIn,
  testId,
  className,
}: {
  packs: PackInfo[] | null;
  value: string | null;
  onChange(pack: string | null): void;
  /** What the built-in choice is called on this screen. */
  builtIn: string;
  testId: string;
  className?: string;
}) {
  const backbones = packsOfKind(packs, 'backbone');
  const known = value === null || backbones.some((p) => p.name === value);
  // A pack removed since it was chosen (Settings, the CLI) falls back to the built-in features.
  useEffect(() => {
    if (packs !== null && !known) onChange(null);
  }, [packs, known, onChange]);
  if (backbones.length === 0) return null;
  return (
    <label className={className ?? 'inline'} title="Feature extractor: the built-in descriptor or an installed backbone pack">
      <span className="muted">Features</span>
      <select value={known ? (value ?? '') : ''} onChange={(e) => onChange(e.target.value || null)} data-testid={testId}>
        <option value="">{builtIn}</option>
        {backbones.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} (backbone {p.version})
          </option>
        ))}
      </select>
    </label>
  );
}
