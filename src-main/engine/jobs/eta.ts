/**
 * A job's time left, from this run's own pace. The pace is measured from the first unit this run
 * finishes, not from its start: the setup before it (training a propagation model, decoding the
 * scorer's images) is no pace, and counting it made the first estimate of a 90 s propagation say
 * 10 min. No estimate is given until a few units over a few seconds say what the pace is.
 *
 * One pace fits a job whose units cost about the same. A job whose units differ (the scorer: a
 * model fit takes seconds, a pair a fraction of one, and its first pace said 6323 s for a job of
 * 125 s) gives its own estimate while those units run (`override`), and `restart`s the pace where
 * its uniform units begin; its estimate stands until the new pace is known.
 */
export const ETA_MIN_UNITS = 3;
export const ETA_MIN_MS = 2000;

export class EtaEstimate {
  private first: { at: number; done: number } | null = null;
  /** Units done where the pace starts: the run's start, or the last `restart`. */
  private paceFrom: number;
  private given: { at: number; ms: number | null } | null = null;
  private givenRules = false;

  /** `startDone`: units already done when this run began (a resumed job's earlier items). */
  constructor(startDone: number) {
    this.paceFrom = startDone;
  }

  /** The job's own estimate of its time left at `now` (null: not known yet); it counts down until replaced. */
  override(ms: number | null, now: number): void {
    this.given = { at: now, ms };
    this.givenRules = true;
  }

  /** The units from `done` on are the ones to pace: the pace is measured again from the next one. */
  restart(done: number): void {
    this.first = null;
    this.paceFrom = done;
    this.givenRules = false;
  }

  /** Milliseconds left (0 when everything is done), or null while the pace is not known yet. */
  etaMs(done: number, total: number, now: number): number | null {
    if (total > 0 && done >= total) return 0;
    const given = this.given === null || this.given.ms === null ? null : Math.max(0, Math.round(this.given.ms - (now - this.given.at)));
    if (this.givenRules) return given;
    if (this.first === null) {
      if (done > this.paceFrom) this.first = { at: now, done };
      return given;
    }
    const units = done - this.first.done;
    const elapsed = now - this.first.at;
    if (units < ETA_MIN_UNITS || elapsed < ETA_MIN_MS || total <= done) return given;
    return Math.round(((total - done) * elapsed) / units);
  }
}
