/**
 * Progress of running jobs (done/total, ETA, failed items) with Cancel, and the
 * interrupted or cancelled ones with Resume: committed items are kept, so a resume
 * continues from where the job stopped.
 */
import { formatEta, useAllJobs, useJobControls, type JobView } from '../state/jobs';
import { isActive } from '../state/jobStore';

const LABELS: Record<string, string> = {
  import: 'Import',
  cluster: 'Clustering',
  propagate: 'Region propagation',
  masks: 'Aligned masks',
  synth: 'Synthesis',
  score: 'Scoring',
  export: 'Export',
};

function JobRow({ job }: { job: JobView }) {
  const { busy, error, act } = useJobControls(job.jobId);
  const active = job.status === 'running' || job.status === 'queued';
  const resumable = job.status === 'interrupted' || job.status === 'cancelled';
  const pct = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;

  return (
    <div className={`job job-${job.status}`} data-testid="job" data-job-id={job.jobId} data-status={job.status}>
      <span className="job-title">
        {LABELS[job.kind] ?? job.kind} #{job.jobId}
      </span>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
        data-testid="job-progress"
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="job-numbers mono">
        <span data-testid="job-done">{job.done}</span>/<span data-testid="job-total">{job.total}</span>
      </span>
      {active && (
        <span className="job-eta" title="Estimated time left">
          ETA <span data-testid="job-eta">{formatEta(job.etaMs)}</span>
        </span>
      )}
      <span className={job.failed > 0 ? 'job-failed warn' : 'job-failed'} title="Items that failed and were reported">
        <span data-testid="job-failed">{job.failed}</span> failed
      </span>
      <span className="job-status">{job.status}</span>
      {job.message && active && <span className="job-message">{job.message}</span>}
      {job.error && <span className="job-error" title={job.error}>{job.error}</span>}
      {error && <span className="job-error">{error}</span>}
      {active && (
        <button type="button" className="btn small" disabled={busy} onClick={() => act('cancel')} data-testid="job-cancel">
          Cancel
        </button>
      )}
      {resumable && (
        <button type="button" className="btn small primary" disabled={busy} onClick={() => act('resume')} data-testid="job-resume">
          Resume
        </button>
      )}
    </div>
  );
}

/**
 * Shows active and resumable jobs, plus the last failed one until a newer job starts; with
 * `activeOnly` (the start screen, while it imports) the running and queued ones alone.
 */
export function JobBar({ activeOnly = false }: { activeOnly?: boolean }) {
  const jobs = useAllJobs();
  if (activeOnly) return <Bar shown={jobs.filter((j) => isActive(j.status))} />;
  const shown = jobs.filter(
    (j) => j.status === 'running' || j.status === 'queued' || j.status === 'interrupted' || j.status === 'cancelled',
  );
  const lastFailed = jobs.find((j) => j.status === 'failed');
  if (lastFailed && jobs[0] === lastFailed) shown.push(lastFailed);
  return <Bar shown={shown} />;
}

function Bar({ shown }: { shown: JobView[] }) {
  if (shown.length === 0) return null;
  return (
    <div className="jobbar" data-testid="jobbar">
      {shown.map((j) => (
        <JobRow key={j.jobId} job={j} />
      ))}
    </div>
  );
}
