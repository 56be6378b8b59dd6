/**
 * A typed folder or file path: the web host has no native file dialog, so every screen that
 * needs a path asks for it in a labelled text field (no spell checking: paths are not words).
 */
export function PathField({
  label,
  value,
  onChange,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  testId: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} data-testid={testId} />
    </label>
  );
}
