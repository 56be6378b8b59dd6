/**
 * One user action at a time on a screen: while it runs, `busy` holds its label (for the
 * spinner, and to disable the other controls); a failure lands in `error` as the engine's
 * message, cleared when the next action starts.
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../api';

export interface BusyAction {
  busy: string | null;
  error: string | null;
  /** For checks the screen makes itself before asking the engine. */
  setError(message: string | null): void;
  run(label: string, work: () => Promise<void>): Promise<void>;
}

export function useBusyAction(): BusyAction {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, run };
}
