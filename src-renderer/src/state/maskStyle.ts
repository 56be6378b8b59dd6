/**
 * How masks are drawn over images everywhere (viewer, side-by-side, review, galleries): a tinted
 * fill, or only its outline so the pixels under a small defect stay visible. One choice for the
 * whole app, kept across launches; O toggles it wherever masks are shown.
 */
import { useSyncExternalStore } from 'react';

export type MaskStyle = 'fill' | 'outline';

const KEY = 'gaa.maskStyle';
const listeners = new Set<() => void>();

function read(): MaskStyle {
  try {
    return localStorage.getItem(KEY) === 'outline' ? 'outline' : 'fill';
  } catch {
    return 'fill';
  }
}

let current: MaskStyle = typeof localStorage === 'undefined' ? 'fill' : read();

export function setMaskStyle(style: MaskStyle): void {
  current = style;
  try {
    localStorage.setItem(KEY, style);
  } catch {
    // A browser without storage keeps the choice for this page only.
  }
  for (const l of [...listeners]) l();
}

export function toggleMaskStyle(): void {
  setMaskStyle(current === 'fill' ? 'outline' : 'fill');
}

export function useMaskStyle(): MaskStyle {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
