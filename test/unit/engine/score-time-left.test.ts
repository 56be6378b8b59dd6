import { describe, expect, it } from 'vitest';
import { ScoreClock } from '../../../src-main/engine/score/time-left';

const none = { image: 0, fit: 0, epoch: 0, selfCheck: 0, pair: 0 };

describe("the score job's time left", () => {
  it('is each kind of work left times its own pace, worked by hand', () => {
    const clock = new ScoreClock(40);
    clock.add('image', 300, 3); // 5 images in 500 ms: 100 ms each
    clock.add('image', 200, 2);
    clock.add('fit', 8000);
    clock.add('fit', 12_000); // 10 s a fit
    clock.add('epoch', 3000); // 3 s an epoch
    clock.add('selfCheck', 800); // 40 images in 800 ms: 20 ms of scoring per image
    // 2 images × 100 + 1 fit × 10 000 + 5 epochs × 3000 + 2 self-checks × 800 + 1000 pairs × (100 + 20) / 2
    expect(clock.timeLeft({ image: 2, fit: 1, epoch: 5, selfCheck: 2, pair: 1000 }, 2)).toBe(200 + 10_000 + 15_000 + 1600 + 60_000);
  });

  it("predicts a pair from an image's features and the kept model's scoring once it is chosen", () => {
    const clock = new ScoreClock(10);
    clock.add('image', 150);
    clock.add('selfCheck', 100); // 10 ms per image: the mean so far
    expect(clock.pace('pair', 4)).toBe((150 + 10) / 4);
    clock.add('selfCheck', 900); // a slow model's self-check: the mean is now 50 ms per image
    expect(clock.pace('pair', 1)).toBe(150 + 50);
    clock.chosenModelScoring(300, 10); // the fast one was kept: 30 ms per image
    expect(clock.pace('pair', 1)).toBe(180);
    // Once pairs are timed, their own pace replaces the prediction.
    clock.add('pair', 500, 10);
    expect(clock.timeLeft({ ...none, pair: 100 }, 1)).toBe(5000);
  });

  it('gives no estimate while a kind of work still to come has not been timed', () => {
    const clock = new ScoreClock(10);
    clock.add('image', 100);
    clock.add('fit', 5000);
    clock.add('selfCheck', 50);
    // SimpleNet's epochs are still to come and none has run.
    expect(clock.timeLeft({ ...none, epoch: 20, pair: 10 }, 2)).toBeNull();
    // Work already finished needs no pace.
    expect(clock.timeLeft({ ...none, fit: 1, pair: 10 }, 2)).toBe(5000 + 10 * (100 + 5) / 2);
    // No self-check yet: a pair cannot be predicted.
    expect(new ScoreClock(10).timeLeft({ ...none, pair: 1 }, 1)).toBeNull();
    expect(new ScoreClock(10).timeLeft(none, 1)).toBe(0);
  });
});
