/**
 * The installed model packs (`packs.list`), for the screens that offer a model choice. The
 * engine pushes no event when a pack is installed or removed, so the list is re-read when the
 * screen mounts, when the Settings overlay (where packs are managed) closes, and when the
 * window regains focus (a pack installed from the CLI meanwhile).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PackInfo, PackKindName } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { useRuntime } from '../state/runtime';

export interface InstalledPacks {
  /** null until the first answer. */
  packs: PackInfo[] | null;
  error: string | null;
  reload(): Promise<void>;
}

export function useInstalledPacks(): InstalledPacks {
  const { settingsOpen } = useRuntime();
  const [packs, setPacks] = useState<PackInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);

  const reload = useCallback(async () => {
    try {
      const listing = await api.invoke('packs.list', {});
      if (!mounted.current) return;
      setPacks(listing.packs);
      setError(null);
    } catch (err) {
      if (mounted.current) setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!settingsOpen) void reload();
  }, [settingsOpen, reload]);

  useEffect(() => {
    const onFocus = () => void reload();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [reload]);

  return { packs, error, reload };
}

export function packsOfKind(packs: PackInfo[] | null, kind: PackKindName): PackInfo[] {
  return (packs ?? []).filter((p) => p.kind === kind);
}
