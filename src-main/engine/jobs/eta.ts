/**
 * A job's time left, from this run's own pace. The pace is measured from the first unit this run
 * finishes, not from its start: the setup before it (training a propagation model, decoding the
 * scorer's images) is no pace, and counting it made the first estimate of a 90 s propagation say
 * 10 min. No estimate is given until a few units over a few seconds say what the pace is.
 */
export const ETA_MIN_UNITS = 3;
export const ETA_MIN_MS = 2000;

export class EtaEstimate {
  private first: { at: number; done: number } | null = null;

  /** `startDone`: units already done when this run began (a resumed job's earlier items). */
  constructor(private readonly startDone: number) {}

  /** Milliseconds left (0 when everything is done), or null while the pace is not known yet. */
  etaMs(done: number, total: number, now: number): number | null {
    if (total > 0 && done >= total) return 0;
    if (this.first === null) {
      if (done > this.startDone) this.first = { at: now, done };
      return null;
    }
    const units = done - this.first.done;
    const elapsed = now - this.first.at;
    if (units < ETA_MIN_UNITS || elapsed < ETA_MIN_MS || total <= done) return null;
    return Math.round(((total - done) * elapsed) / units);
  }
}
