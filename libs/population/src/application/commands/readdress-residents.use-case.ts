import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Citizen } from '../../domain/citizen';
import { registerResidence } from '../../domain/citizen-lifecycle.rules';
import { vietnamToday } from '../../domain/civil-dates';
import { DEFAULT_SOURCE_AGENCY } from '../command-runner';
import { parseInput } from '../parse-input';
import type { Clock, PopulationStore, RecordedChange } from '../population.ports';
import { communeCodeField } from './citizen-fields.schema';

export const ReaddressResidentsCommand = z.strictObject({
  /** The communes merged away (2025 codes): every active resident registered in one moves. */
  fromCommunes: z.array(communeCodeField).min(1).max(200),
  /** The commune they now belong to; the street address stays as registered. */
  toCommune: communeCodeField,
  /** Rows per transaction: one lock statement and one write statement each. */
  batchSize: z.number().int().min(1).max(5_000).default(2_000),
});
export type ReaddressResidentsCommand = z.input<typeof ReaddressResidentsCommand>;

export interface ReaddressResult {
  readonly readdressed: number;
  readonly batches: number;
}

/**
 * An administrative re-addressing (a commune merger): every active resident of the merged
 * communes gets a permanent-residence change to the new commune, same street address, from
 * today, one PERMANENT_RESIDENCE_REGISTERED event each, so every sector follows. In batches:
 * each is one transaction that locks the next residents in personal-ID order and writes their
 * states, history and outbox rows in one statement, so the rate is the database's and the
 * relay's, not a round trip per citizen. Batches already committed stay if a later one fails;
 * running the command again continues (the moved residents no longer match).
 */
export class ReaddressResidentsUseCase {
  constructor(
    private readonly store: PopulationStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: ReaddressResidentsCommand): Promise<ReaddressResult> {
    const command = parseInput(ReaddressResidentsCommand, input);
    const from = command.fromCommunes.filter((code) => code !== command.toCommune);
    let after = '';
    let readdressed = 0;
    let batches = 0;
    for (;;) {
      const moved = await this.store.transaction(async (tx) => {
        const residents = await tx.lockResidentsOf(from, after, command.batchSize);
        if (residents.length === 0) return null;
        const now = this.clock.now();
        const since = vietnamToday(now);
        const changes: RecordedChange[] = residents.map((citizen: Citizen) => ({
          eventId: randomUUID(),
          recordedAt: now,
          sourceAgency: DEFAULT_SOURCE_AGENCY,
          change: registerResidence(citizen, 'permanent', {
            communeCode: command.toCommune,
            address: citizen.permanentResidence!.address,
            since,
            until: null,
          }),
        }));
        await tx.record(changes);
        return { last: residents.at(-1)!.personalId, count: residents.length };
      });
      if (moved === null) return { readdressed, batches };
      after = moved.last;
      batches++;
      readdressed += moved.count;
    }
  }
}
