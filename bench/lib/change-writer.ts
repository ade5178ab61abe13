import { setTimeout as sleep } from 'node:timers/promises';
import { COMMUNES } from '@bus/contracts';
import { BusError } from '@bus/platform';
import { Picker, STREETS, type PopulationServices } from '@bus/population';

export interface WriteOptions {
  /** Citizens to change, in order (one change each; repeat an ID to change it again). */
  readonly targets: readonly string[];
  /** Changes per second; 0 = as fast as the application layer goes. */
  readonly rate: number;
  /** Commands in flight at once (each is one PostgreSQL transaction). */
  readonly concurrency: number;
  readonly seed: number;
  readonly onProgress?: (done: number) => void;
}

export interface WriteSummary {
  readonly written: number;
  /** Business conflicts (e.g. the same name drawn again): skipped, not written. */
  readonly rejected: number;
  readonly seconds: number;
  readonly changesPerSec: number;
}

const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Civil-status changes through the national service's application layer (the use
 * cases the HTTP API calls: validation, row lock, state + history + outbox in one
 * transaction). The mix reaches every sector: permanent residence and name changes go
 * to all four, temporary residence to all but land.
 */
export async function writeChanges(
  services: PopulationServices,
  options: WriteOptions,
): Promise<WriteSummary> {
  const pick = new Picker(() => Math.random());
  const since = today();
  let next = 0;
  let written = 0;
  let rejected = 0;
  const started = performance.now();
  const one = (personalId: string) => {
    const roll = pick.random();
    const communeCode = pick.one(COMMUNES).code;
    const address = `${pick.int(1, 300)} ${pick.one(STREETS)}`;
    if (roll < 0.4) {
      return services.registerResidence.permanent({ personalId, communeCode, address, since });
    }
    if (roll < 0.75) {
      return services.registerResidence.temporary({ personalId, communeCode, address, since });
    }
    return services.changeName.execute({
      personalId,
      fullName: pick.fullName(pick.chance(0.5) ? 'MALE' : 'FEMALE'),
    });
  };
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= options.targets.length) return;
      if (options.rate > 0) {
        const due = started + (index * 1_000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      try {
        await one(options.targets[index]!);
        written++;
      } catch (error) {
        if (!(error instanceof BusError) || error.kind === 'internal' || error.kind === 'transient')
          throw error;
        rejected++;
      }
      options.onProgress?.(written + rejected);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { written, rejected, seconds, changesPerSec: written / seconds };
}
