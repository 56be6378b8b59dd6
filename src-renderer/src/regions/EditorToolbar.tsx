/** The region editor's tools, sliders and actions, and the `?` overlay listing its shortcuts. */
export type Tool = 'polygon' | 'brush' | 'eraser' | 'fill' | 'segment';

const TOOLS: { id: Tool; label: string; key: string; hint: string }[] = [
  { id: 'polygon', label: 'Polygon', key: 'P', hint: 'Click points, double-click or Enter to close; hold Alt for a hole' },
  { id: 'brush', label: 'Brush', key: 'B', hint: 'Paint the active region' },
  { id: 'eraser', label: 'Eraser', key: 'E', hint: 'Erase from the active region' },
  { id: 'fill', label: 'Fill', key: 'F', hint: 'Fill the connected area under the click; Alt+click clears it' },
  {
    id: 'segment',
    label: 'Segment',
    key: 'S',
    hint: 'Click inside the area to segment it with the segmenter pack; right-click or Alt+click excludes; Enter adds it, Alt+Enter removes it',
  },
];

export const SHORTCUTS: [string, string][] = [
  ['P / B / E / F', 'Polygon, brush, eraser, bucket fill'],
  ['Click … double-click / Enter', 'Close the polygon (≥ 3 points)'],
  ['Alt while drawing a polygon', 'Make it a hole (subtract)'],
  ['Backspace / Esc', 'Drop the last polygon point / the whole draft'],
  ['Alt+click (fill)', 'Clear the connected area instead of filling it'],
  ['S', 'Segment (only with a segmenter pack installed)'],
  ['Click / right-click or Alt+click (segment)', 'Include / exclude point; Enter adds the preview, Alt+Enter subtracts it, Backspace drops the last point, Esc drops all'],
  ['[ / ]', 'Brush size smaller / larger'],
  ['Wheel', 'Zoom at the pointer'],
  ['Space+drag / middle drag', 'Pan'],
  ['0', 'Fit the image'],
  ['Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y', 'Undo / redo a finished edit'],
  ['Ctrl+S', 'Save the regions of this image'],
  ['?', 'This help'],
];

export function EditorToolbar(p: {
  tool: Tool;
  onTool(t: Tool): void;
  brush: number;
  onBrush(n: number): void;
  opacity: number;
  onOpacity(n: number): void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onFit(): void;
  onHelp(): void;
  onSave(): void;
  saving: boolean;
  dirty: boolean;
  /** The Segment tool is shown only when a segmenter pack is installed. */
  segmentAvailable: boolean;
}) {
  return (
    <div className="toolbar region-tools" data-testid="region-tools">
      <div className="segmented">
        {TOOLS.filter((t) => t.id !== 'segment' || p.segmentAvailable).map((t) => (
          <button
            key={t.id}
            type="button"
            className={p.tool === t.id ? 'btn small active' : 'btn small'}
            onClick={() => p.onTool(t.id)}
            title={`${t.hint} (${t.key})`}
            data-testid={`tool-${t.id}`}
            aria-pressed={p.tool === t.id}
          >
            {t.label}
          </button>
        ))}
      </div>
      <label className="slider" title="Brush and eraser diameter in image pixels ([ / ])">
        <span className="muted small">Size</span>
        <input type="range" min={1} max={128} value={p.brush} onChange={(e) => p.onBrush(Number(e.target.value))} data-testid="brush-size" />
        <span className="mono small brush-readout">{p.brush}px</span>
      </label>
      <label className="slider" title="Opacity of the region overlay">
        <span className="muted small">Overlay</span>
        <input type="range" min={0} max={1} step={0.05} value={p.opacity} onChange={(e) => p.onOpacity(Number(e.target.value))} data-testid="overlay-opacity" />
      </label>
      <span className="sep" />
      <button type="button" className="btn small" disabled={!p.canUndo} onClick={p.onUndo} title="Ctrl+Z" data-testid="region-undo">
        Undo
      </button>
      <button type="button" className="btn small" disabled={!p.canRedo} onClick={p.onRedo} title="Ctrl+Shift+Z / Ctrl+Y" data-testid="region-redo">
        Redo
      </button>
      <button type="button" className="btn small" onClick={p.onFit} title="0">
        Fit
      </button>
      <span className="spacer" />
      {p.dirty && (
        <span className="warn small" data-testid="region-dirty">
          unsaved
        </span>
      )}
      <button type="button" className="btn small" onClick={p.onHelp} title="?" data-testid="region-help-toggle">
        ?
      </button>
      <button type="button" className="btn small primary" disabled={p.saving} onClick={p.onSave} title="Ctrl+S" data-testid="region-save">
        {p.saving ? <span className="spinner" /> : null} Save
      </button>
    </div>
  );
}

export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="region-help" role="dialog" aria-label="Editor shortcuts" data-testid="region-help" onClick={onClose}>
      <div className="region-help-box" onClick={(e) => e.stopPropagation()}>
        <h2>Region editor shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn small" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
