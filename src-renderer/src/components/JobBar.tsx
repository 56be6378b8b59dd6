/**
 * Progress of running jobs (done/total, ETA, failed items) with Cancel, and the
 * interrupted or cancelled ones with Resume: committed items are kept, so a resume
 * continues from where the job stopped. A job that ends while the app is open stays with
 * what happened: a failure with the engine's message, a finish with the next step.
 */
import type { JobKind } from '../../../src-main/api/contract';
import { dismissJob, formatEta, useAllJobs, useDismissedJobs, useJobControls, type JobView } from '../state/jobs';
import { barJobs, isActive } from '../state/jobStore';

const LABELS: Record<JobKind, string> = {
  import: 'Import',
  cluster: 'Clustering',
  propagate: 'Region propagation',
  masks: 'Aligned masks',
  synth: 'Synthesis',
  score: 'Scoring',
  export: 'Export',
  value: 'Value check',
};

/** What to do after a job of each kind finishes, and the stage where it is done (METHOD.md's order). */
export const NEXT_STEP: Record<JobKind, { label: string; stage: string }> = {
  import: { label: 'Cluster now', stage: 'clusters' },
  cluster: { label: 'Label regions', stage: 'regions' },
  propagate: { label: 'Make masks', stage: 'masks' },
  masks: { label: 'Generate pairs', stage: 'synthesis' },
  synth: { label: 'Score now', stage: 'review' },
  score: { label: 'Export', stage: 'export' },
  export: { label: 'See the export', stage: 'export' },
  value: { label: 'Export', stage: 'export' },
};

function JobRow({ job, onStage }: { job: JobView; onStage?(stage: string): void }) {
  const { busy, error, act } = useJobControls(job.jobId);
  const active = isActive(job.status);
  const resumable = job.status === 'interrupted' || job.status === 'cancelled';
  const ended = job.status === 'done' || job.status === 'failed';
  const pct = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;
  const label = LABELS[job.kind] ?? job.kind;
  const next = job.status === 'done' ? NEXT_STEP[job.kind] : undefined;

  return (
    <div className={`job job-${job.status}`} data-testid="job" data-job-id={job.jobId} data-status={job.status} data-kind={job.kind}>
      <span className="job-title">
        {label} #{job.jobId}
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
      {active && job.etaMs !== null && (
        <span className="job-eta" title="Estimated time left">
          ETA <span data-testid="job-eta">{formatEta(job.etaMs)}</span>
        </span>
      )}
      <span className={job.failed > 0 ? 'job-failed warn' : 'job-failed'} title="Items that failed and were reported">
        <span data-testid="job-failed">{job.failed}</span> failed
      </span>
      {job.status === 'done' ? (
        <span className="job-status job-finished" data-testid="job-finished">
          {label} finished
        </span>
      ) : job.status === 'failed' ? (
        <span className="job-status warn" data-testid="job-failed-status">
          {label} failed
        </span>
      ) : (
        <span className="job-status">{job.status}</span>
      )}
      {job.message && active && <span className="job-message">{job.message}</span>}
      {job.error && (
        <span className="job-error" title={job.error} data-testid="job-error">
          {job.error}
        </span>
      )}
      {error && <span className="job-error">{error}</span>}
      {next && onStage && (
        <button type="button" className="btn small primary" onClick={() => (dismissJob(job.jobId), onStage(next.stage))} data-testid="job-next">
          {next.label}
        </button>
      )}
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
      {ended && (
        <button type="button" className="link job-dismiss" onClick={() => dismissJob(job.jobId)} aria-label="Dismiss" title="Dismiss" data-testid="job-dismiss">
          ×
        </button>
      )}
    </div>
  );
}

/**
 * The job bar (see barJobs for which jobs it holds); with `activeOnly` (the start screen, while
 * it imports) the running and queued ones alone. `onStage` opens a stage for a next step.
 */
export function JobBar({ activeOnly = false, onStage }: { activeOnly?: boolean; onStage?(stage: string): void }) {
  const jobs = useAllJobs();
  const dismissed = useDismissedJobs();
  const shown = activeOnly ? jobs.filter((j) => isActive(j.status)) : barJobs(jobs, dismissed);
  if (shown.length === 0) return null;
  return (
    <div className="jobbar" data-testid="jobbar">
      {shown.map((j) => (
        <JobRow key={j.jobId} job={j} onStage={onStage} />
      ))}
    </div>
  );
}
