/**
 * The ONNX Runtime provider actually in use (for the badge on every screen) and whether the
 * Settings screen is open. Ctrl+, (Cmd+, on macOS) toggles Settings from anywhere.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RequestArgs, RuntimeInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

interface RuntimeState {
  runtime: RuntimeInfo | null;
  runtimeError: string | null;
  reloadRuntime(): Promise<void>;
  setRuntime(change: RequestArgs<'system.setRuntime'>): Promise<void>;
  settingsOpen: boolean;
  openSettings(): void;
  closeSettings(): void;
}

const RuntimeContext = createContext<RuntimeState | null>(null);

export function RuntimeProvider({ children }: { children: ReactNode }) {
  const [runtime, setRuntimeInfo] = useState<RuntimeInfo | null>(null);
  const [runtimeError, setRuntimeError] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  const reloadRuntime = useCallback(async () => {
    try {
      setRuntimeInfo(await api.invoke('system.runtime', {}));
      setRuntimeError(null);
    } catch (err) {
      setRuntimeError(errorMessage(err));
    }
  }, []);

  const setRuntime = useCallback(async (change: RequestArgs<'system.setRuntime'>) => {
    // Errors go to the caller (the Settings form shows them next to the control).
    setRuntimeInfo(await api.invoke('system.setRuntime', change));
    setRuntimeError(null);
  }, []);

  useEffect(() => {
    void reloadRuntime();
  }, [reloadRuntime]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === ',' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        setSettingsOpen((open) => !open);
      } else if (e.key === 'Escape' && !e.defaultPrevented) {
        setSettingsOpen(false);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);

  return (
    <RuntimeContext.Provider value={{ runtime, runtimeError, reloadRuntime, setRuntime, settingsOpen, openSettings, closeSettings }}>
      {children}
    </RuntimeContext.Provider>
  );
}

export function useRuntime(): RuntimeState {
  const ctx = useContext(RuntimeContext);
  if (!ctx) throw new Error('useRuntime outside RuntimeProvider');
  return ctx;
}
