import { describe, expect, it } from 'vitest';
import { StallWatch } from './stall-watch';

const p0 = { topic: 't', partition: 0 };
const p1 = { topic: 't', partition: 1 };

function watchAt(start: number) {
  const clock = { now: start };
  return { clock, watch: new StallWatch(60_000, () => clock.now) };
}

describe('StallWatch', () => {
  it('calls a partition stalled once it has had lag and no progress for the threshold', () => {
    const { clock, watch } = watchAt(0);
    watch.assigned([p0, p1]);
    clock.now = 59_999;
    expect(watch.check([{ ...p0, lag: 5 }], () => false)).toEqual([]);
    clock.now = 60_000;
    expect(watch.check([{ ...p0, lag: 5 }], () => false)).toEqual([p0]);
    expect(watch.stalled).toEqual([p0]);
    // Reported once; it stays stalled until it moves.
    clock.now = 70_000;
    expect(watch.check([{ ...p0, lag: 5 }], () => false)).toEqual([]);
    expect(watch.stalled).toEqual([p0]);
    watch.progressed(p0);
    expect(watch.stalled).toEqual([]);
  });

  it('treats an idle partition (no lag) and a paused one as moving', () => {
    const { clock, watch } = watchAt(0);
    watch.assigned([p0, p1]);
    clock.now = 50_000;
    watch.check(
      [
        { ...p0, lag: 0 },
        { ...p1, lag: 3 },
      ],
      (tp) => tp.partition === 1,
    );
    clock.now = 100_000;
    // Both clocks restarted at 50 s: 50 s without progress is under the threshold.
    expect(
      watch.check(
        [
          { ...p0, lag: 2 },
          { ...p1, lag: 3 },
        ],
        () => false,
      ),
    ).toEqual([]);
    clock.now = 110_000;
    expect(
      watch.check(
        [
          { ...p0, lag: 2 },
          { ...p1, lag: 3 },
        ],
        () => false,
      ),
    ).toEqual([p0, p1]);
  });

  it('ignores partitions it does not own, and a stall survives a new assignment', () => {
    const { clock, watch } = watchAt(0);
    watch.assigned([p0]);
    clock.now = 60_000;
    expect(watch.check([{ ...p1, lag: 9 }], () => false)).toEqual([]);
    expect(watch.check([{ ...p0, lag: 9 }], () => false)).toEqual([p0]);
    watch.assigned([p0, p1]);
    expect(watch.owned()).toEqual([p0, p1]);
    // Joining again is not progress: still stalled until a batch commits or the lag clears.
    expect(watch.stalled).toEqual([p0]);
    watch.check([{ ...p0, lag: 0 }], () => false);
    expect(watch.stalled).toEqual([]);
  });
});
