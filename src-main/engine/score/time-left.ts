/**
 * The score job's time left (issue 15 item 1: "an honest ETA"). Its units differ in cost by orders
 * of magnitude: a Gaussian fit takes seconds to a minute, a SimpleNet epoch a few seconds, a
 * generated pair a tenth of one. One pace over all of them said 6323 s at the first self-check of
 * a devdata commutator job that ended 125 s after it started. So the time left is each kind of
 * work left times that kind's own pace in this run, and there is no estimate while a kind that is
 * still to come has not been timed.
 *
 * Pairs are the exception: they come last, so their pace is predicted before the first is scored.
 * A pair is a normal image with a defect in it, so it costs what a training image's patch features
 * cost (timed first) plus the model's scoring of one image, shared by the pair scorer's workers.
 * The scoring is timed by the self-checks: the kept model's once it is chosen, before that the mean
 * of the models checked so far.
 */

export type ScoreWork = 'image' | 'fit' | 'epoch' | 'selfCheck' | 'pair';

export type ScoreWorkLeft = Record<ScoreWork, number>;

export class ScoreClock {
  private readonly spent: Record<ScoreWork, { ms: number; units: number }> = {
    image: { ms: 0, units: 0 },
    fit: { ms: 0, units: 0 },
    epoch: { ms: 0, units: 0 },
    selfCheck: { ms: 0, units: 0 },
    pair: { ms: 0, units: 0 },
  };
  /** The chosen model's scoring time per image, from its self-check (ms). */
  private scoreMsPerImage: number | null = null;

  /** `selfCheckImages`: the held-out images each self-check scores. */
  constructor(private readonly selfCheckImages: number) {}

  /** `units` of `work` took `ms` in all. */
  add(work: ScoreWork, ms: number, units = 1): void {
    this.spent[work].ms += ms;
    this.spent[work].units += units;
  }

  /** The kept model's self-check took `ms` over `images` held-out images (patch features already made). */
  chosenModelScoring(ms: number, images: number): void {
    if (images > 0) this.scoreMsPerImage = ms / images;
  }

  /** Mean milliseconds per unit of `work` so far; a pair's is predicted (see above) until pairs are timed. */
  pace(work: ScoreWork, workers: number): number | null {
    const s = this.spent[work];
    if (s.units > 0) return s.ms / s.units;
    if (work !== 'pair') return null;
    const image = this.pace('image', workers);
    const check = this.pace('selfCheck', workers);
    const scoring = this.scoreMsPerImage ?? (check === null || this.selfCheckImages === 0 ? null : check / this.selfCheckImages);
    return image === null || scoring === null ? null : (image + scoring) / Math.max(1, workers);
  }

  /** Milliseconds left for `left`, or null while some kind of work still to do has no pace. */
  timeLeft(left: ScoreWorkLeft, workers: number): number | null {
    let ms = 0;
    for (const work of Object.keys(left) as ScoreWork[]) {
      if (left[work] <= 0) continue;
      const pace = this.pace(work, workers);
      if (pace === null) return null;
      ms += left[work] * pace;
    }
    return Math.round(ms);
  }
}
