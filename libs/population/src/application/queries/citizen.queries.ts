import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { currentStatePayload, type CitizenChangedPayload } from '../citizen-event';
import type { Citizen } from '../../domain/citizen';
import { citizenNotFound } from '../../domain/population.errors';
import { parseInput } from '../parse-input';
import { personalIdField } from '../commands/citizen-fields.schema';
import type { HistoryEntry, PopulationStore } from '../population.ports';

const PersonalIdParam = z.object({ personalId: personalIdField });

/** Read side: the current record and its change history. */
export class CitizenQueries {
  constructor(private readonly store: PopulationStore) {}

  async getCitizen(personalId: string): Promise<Citizen> {
    parseInput(PersonalIdParam, { personalId });
    const citizen = await this.store.findCitizen(personalId);
    if (citizen === undefined) throw citizenNotFound(personalId);
    return citizen;
  }

  /** The current record in the initial-load event form (the share router's fills). */
  async getCurrentState(personalId: string): Promise<CitizenChangedPayload> {
    return currentStatePayload(await this.getCitizen(personalId), randomUUID(), new Date());
  }

  async getHistory(personalId: string): Promise<HistoryEntry[]> {
    parseInput(PersonalIdParam, { personalId });
    const history = await this.store.history(personalId);
    if (history === undefined) throw citizenNotFound(personalId);
    return history;
  }
}
