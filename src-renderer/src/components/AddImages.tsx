/**
 * More images for the open project (issue 12, item 9): a re-import of another dataset folder that
 * adds its images to the project's categories (same-named category, same defect types); files
 * already in the project are skipped, the few-shot split is drawn for the new anomalies.
 */
import { useState, type FormEvent } from 'react';
import type { DatasetLayout } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { reloadJobs } from '../state/jobs';
import { PathField } from './PathField';

export function AddImages() {
  const [source, setSource] = useState('');
  const [layout, setLayout] = useState<DatasetLayout>('auto');
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<number | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!source.trim()) return;
    setError(null);
    try {
      const { jobId } = await api.invoke('dataset.import', { source: source.trim(), layout });
      setStarted(jobId);
      void reloadJobs();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="side-section" onSubmit={submit} data-testid="add-images">
      <h3>Add images</h3>
      <PathField label="Dataset folder" value={source} onChange={setSource} placeholder="/data/more-images" testId="add-images-source" browse />
      <label className="field">
        <span>Layout</span>
        <select value={layout} onChange={(e) => setLayout(e.target.value as DatasetLayout)} data-testid="add-images-layout">
          <option value="auto">Detect automatically</option>
          <option value="mvtec">MVTec AD</option>
          <option value="loco">MVTec LOCO</option>
          <option value="folder">Plain folders</option>
        </select>
      </label>
      <button type="submit" className="btn small" disabled={!source.trim()} data-testid="add-images-start">
        Add to this project
      </button>
      {started !== null && !error && (
        <p className="muted small" data-testid="add-images-started">
          Import #{started} adds the folder&apos;s images; files already in the project are skipped.
        </p>
      )}
      {error && (
        <div className="alert small" data-testid="add-images-error">
          {error}
        </div>
      )}
    </form>
  );
}
