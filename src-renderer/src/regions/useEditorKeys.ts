/** The region editor's keyboard: tools, brush size, polygon closing, undo/redo, save, help, space-to-pan. */
import { useEffect, useRef, type MutableRefObject } from 'react';
import type { Tool } from './EditorToolbar';
import { typing } from '../state/stage';

export interface EditorKeys {
  undo(): void;
  redo(): void;
  save(): void;
  fit(): void;
  setTool(t: Tool): void;
  setBrush(update: (n: number) => number): void;
  toggleHelp(): void;
  /** Set while the help is open: Esc closes it before it drops a polygon draft. */
  closeHelp: (() => void) | null;
  closeDraft(alt: boolean): void;
  /** False when there was no draft point to drop (Backspace then does nothing). */
  dropPoint(): boolean;
  dropDraft(): void;
  /** Held space turns a left drag into a pan. */
  space: MutableRefObject<boolean>;
}

/** Brush steps grow with the size, so 1 → 128 px takes a few dozen presses, not a hundred. */
const step = (n: number, dir: 1 | -1) => Math.max(1, Math.min(128, n + dir * Math.max(1, Math.round(n * 0.15))));

export function useEditorKeys(keys: EditorKeys): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (typing(e.target)) return;
      const k = latest.current;
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (ctrl) {
        if (key === 'z') (e.shiftKey ? k.redo : k.undo)();
        else if (key === 'y') k.redo();
        else if (key === 's') k.save();
        else return;
        e.preventDefault();
        return;
      }
      // Alt+digit belongs to the shell's stage navigation.
      if (e.altKey && e.key !== 'Enter') return;
      if (e.key === ' ') k.space.current = true;
      else if (key === 'p') k.setTool('polygon');
      else if (key === 'b') k.setTool('brush');
      else if (key === 'e') k.setTool('eraser');
      else if (key === 'f') k.setTool('fill');
      else if (key === 's') k.setTool('segment');
      else if (e.key === '[') k.setBrush((n) => step(n, -1));
      else if (e.key === ']') k.setBrush((n) => step(n, 1));
      else if (e.key === '?') k.toggleHelp();
      else if (e.key === '0') k.fit();
      else if (e.key === 'Enter') k.closeDraft(e.altKey);
      else if (e.key === 'Backspace') {
        if (!k.dropPoint()) return;
      } else if (e.key === 'Escape') (k.closeHelp ?? k.dropDraft)();
      else return;
      e.preventDefault();
    }
    const onUp = (e: KeyboardEvent) => {
      if (e.key === ' ') latest.current.space.current = false;
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onUp);
    };
  }, []);
}
