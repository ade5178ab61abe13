import { SECTORS, type Sector } from '@bus/contracts';
import type { ChildApp } from './child-app';
import type { SectorProbe, SectorTarget } from './pipeline';
import { progressLine } from './run-context';

/** Polls the sector databases until each holds the target versions; returns when each got there. */
export async function untilInSync(
  children: readonly ChildApp[],
  probe: SectorProbe,
  targets: Record<Sector, SectorTarget>,
  label: string,
  onPoll?: () => Promise<void>,
): Promise<Record<Sector, number>> {
  const progress = progressLine(label);
  const done: Partial<Record<Sector, number>> = {};
  let lastChange = Date.now();
  let lastSums = '';
  while (Object.keys(done).length < SECTORS.length) {
    const parts: string[] = [];
    for (const sector of SECTORS) {
      const target = targets[sector];
      if (done[sector] === undefined) {
        const state = await probe.state(sector);
        if (state.citizens === target.citizens && state.versionSum === target.versionSum) {
          done[sector] = state.lastAppliedAt;
        }
        parts.push(
          `${sector} ${Math.floor((100 * state.versionSum) / Math.max(1, target.versionSum))}%`,
        );
      } else parts.push(`${sector} ok`);
    }
    for (const child of children) child.peakRssMiB();
    await onPoll?.();
    const sums = parts.join(' ');
    if (sums !== lastSums) {
      lastSums = sums;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 90_000) {
      const errors = children.flatMap((c) =>
        c.errors.slice(-2).map((e) => `${c.options.name}: ${e}`),
      );
      throw new Error(
        `${label}: no progress for 90 s (${sums}); last errors: ${errors.join(' | ')}`,
      );
    }
    progress(sums);
    if (Object.keys(done).length < SECTORS.length) await new Promise((r) => setTimeout(r, 250));
  }
  progress('all four sectors in sync', true);
  return done as Record<Sector, number>;
}
