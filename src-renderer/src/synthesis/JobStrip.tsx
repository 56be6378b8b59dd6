/** The latest synthesis job of the category: progress, ETA, failures, Cancel and Resume. */
import { formatEta, useJobControls } from '../state/jobs';
import type { JobFailures, StageJob } from './useStageJobs';

export function JobStrip({ job, result }: { job: StageJob; result: JobFailures | undefined }) {
  const { busy, error, act } = useJobControls(job.jobId);
  const active = job.status === 'running' || job.status === 'queued';
  const resumable = job.status === 'cancelled' || job.status === 'interrupted';
  const pct = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;

  return (
    <div className={`job synth-job job-${job.status}`} data-testid="synth-job" data-job-id={job.jobId} data-status={job.status}>
      <span className="job-title">Synthesis #{job.jobId}</span>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="mono">
        <span data-testid="synth-done">{job.done}</span>/<span data-testid="synth-total">{job.total}</span>
      </span>
      {active && job.etaMs !== null && <span className="muted">ETA <span data-testid="synth-eta">{formatEta(job.etaMs)}</span></span>}
      <span className={job.failed > 0 ? 'warn' : 'muted'}>
        <span data-testid="synth-failed">{job.failed}</span> failed
      </span>
      <span className="job-status">{job.status}</span>
      {job.error && <span className="job-error" title={job.error}>{job.error}</span>}
      {result && result.failures.length > 0 && (
        <span className="job-error" title={result.failures.slice(0, 10).map((f) => `mask ${f.alignedMaskId}: ${f.reason}`).join('\n')} data-testid="synth-failure">
          {result.failures[0].reason}
        </span>
      )}
      {error && <span className="job-error">{error}</span>}
      <span className="spacer" />
      {active && (
        <button type="button" className="btn small" disabled={busy} onClick={() => act('cancel')} data-testid="synth-cancel">Cancel</button>
      )}
      {resumable && (
        <button type="button" className="btn small primary" disabled={busy} onClick={() => act('resume')} data-testid="synth-resume">Resume</button>
      )}
    </div>
  );
}
