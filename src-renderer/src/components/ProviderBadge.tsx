/**
 * The ONNX Runtime provider in use, on every screen's header (ARCHITECTURE.md "Models": the
 * UI always shows which one is in use). A CPU fallback from a CUDA request is marked, with
 * the runtime's reason as the tooltip; a click opens Settings.
 */
import { useEffect } from 'react';
import { useRuntime } from '../state/runtime';

/** The window's title bar: app, open project and provider (the Electron shell only lets titles starting with the app's name through). */
export function windowTitleFor(project: string | null, provider: string | null): string {
  return ['GAA Workbench', project, provider].filter((p): p is string => !!p).join(' — ');
}

export function ProviderBadge({ project = null }: { project?: string | null }) {
  const { runtime, runtimeError, openSettings } = useRuntime();
  const providerText = runtime ? `${runtime.inUse === 'cuda' ? 'CUDA' : 'CPU'}${runtime.fallbackReason !== null && runtime.preference !== 'cpu' ? ' (CUDA unavailable)' : ''}` : null;
  useEffect(() => {
    document.title = windowTitleFor(project, providerText);
  }, [project, providerText]);
  if (!runtime) {
    return (
      <button type="button" className="provider-badge unknown" onClick={openSettings} title={runtimeError ?? 'Checking ONNX Runtime…'} data-testid="provider-badge" data-provider="">
        {runtimeError ? 'ORT ?' : '…'}
      </button>
    );
  }
  const fellBack = runtime.fallbackReason !== null && runtime.preference !== 'cpu';
  const title = fellBack
    ? `Models run on the CPU: ${runtime.fallbackReason}`
    : `Models run on ${runtime.inUse === 'cuda' ? 'the GPU (CUDA)' : 'the CPU'} · ONNX Runtime ${runtime.onnxruntimeVersion}`;
  const className = `provider-badge ${runtime.inUse}${fellBack ? ' fallback' : ''}`;
  return (
    <button type="button" className={className} onClick={openSettings} title={`${title}\nSettings: Ctrl+,`} data-testid="provider-badge" data-provider={runtime.inUse}>
      {runtime.inUse === 'cuda' ? 'CUDA' : 'CPU'}
      {fellBack && <span aria-hidden> ⚠</span>}
    </button>
  );
}
