/**
 * What the export would write with the current choices (export.preview), re-asked shortly
 * after the choices change and whenever a job ends (scoring, decisions elsewhere change what
 * "kept" holds).
 */
import { useEffect, useState } from 'react';
import type { ExportPreviewInfo, RequestArgs } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { useJobSelector } from '../state/jobs';
import { endedCount } from '../state/jobStore';

export type ExportChoices = Omit<RequestArgs<'export.preview'>, never>;

export function useExportPreview(choices: ExportChoices): { preview: ExportPreviewInfo | null; error: string | null; loading: boolean } {
  const [preview, setPreview] = useState<ExportPreviewInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const ended = useJobSelector(endedCount);
  const key = JSON.stringify(choices);
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = window.setTimeout(() => {
      api.invoke('export.preview', JSON.parse(key) as ExportChoices).then(
        (p) => live && (setPreview(p), setError(null), setLoading(false)),
        (err) => live && (setError(errorMessage(err)), setLoading(false)),
      );
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [key, ended]);
  return { preview, error, loading };
}

/** The default destination: the folder of the newest export of the project, else `<project>/exports`. */
export function defaultDestination(projectDir: string, exportJobs: readonly { params: Record<string, unknown> | null }[]): string {
  for (const j of exportJobs) if (typeof j.params?.outDir === 'string' && j.params.outDir.trim() !== '') return j.params.outDir;
  return `${projectDir.replace(/[\\/]+$/, '')}/exports`;
}
