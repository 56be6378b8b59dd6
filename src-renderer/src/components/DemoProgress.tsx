/**
 * The demo's full run (issue 12, item 9): one bar over every stage — import, clustering,
 * regions, masks, pairs, scores — with the stage that runs now and its own progress. Shown in
 * the project's header while the run goes on; says when it is done or why it stopped.
 */
import { useEffect, useState } from 'react';
import type { DemoRunStatus } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

const POLL_MS = 500;

export function DemoProgress() {
  const [status, setStatus] = useState<DemoRunStatus | null>(null);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      api.invoke('project.demoStatus', {}).then(
        (s) => {
          if (!live) return;
          setStatus(s);
          if (s?.state === 'running') timer = setTimeout(poll, POLL_MS);
        },
        (err) => live && setStatus({ state: 'failed', stage: '', index: 0, total: 1, jobId: null, done: 0, stageTotal: 0, error: errorMessage(err) }),
      );
    };
    poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, []);
  if (!status || dismissed) return null;
  const within = status.stageTotal > 0 ? Math.min(1, status.done / status.stageTotal) : 0;
  const share = status.state === 'done' ? 1 : Math.min(1, (status.index + within) / Math.max(1, status.total));
  return (
    <div className={`demo-progress demo-${status.state}`} data-testid="demo-progress" data-state={status.state} data-index={status.index} data-total={status.total}>
      <strong>Demo project</strong>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)} data-testid="demo-progress-bar">
        <div className="progress-fill" style={{ width: `${share * 100}%` }} />
      </div>
      {status.state === 'running' && (
        <span data-testid="demo-stage">
          Stage {status.index + 1} of {status.total}: {status.stage}
          {status.stageTotal > 0 && (
            <span className="muted mono">
              {' '}
              {status.done}/{status.stageTotal}
            </span>
          )}
        </span>
      )}
      {status.state === 'done' && <span data-testid="demo-stage">Every stage has run: clusters, regions, masks, pairs and scores are ready to look through.</span>}
      {status.state === 'failed' && (
        <span className="job-error" data-testid="demo-error">
          The demo stopped at “{status.stage}”: {status.error}
        </span>
      )}
      {status.state !== 'running' && (
        <button type="button" className="link" onClick={() => setDismissed(true)} aria-label="Dismiss" data-testid="demo-dismiss">
          ×
        </button>
      )}
    </div>
  );
}
