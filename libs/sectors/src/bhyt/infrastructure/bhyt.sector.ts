import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OnEventRun, SyncRules, type SyncContext } from '@bus/sector-sync';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { applyRun, bulkInsert, bulkUpsert } from '../../shared/run-apply';
import { CROSS_RECORD_EVENTS, type SectorDefinition } from '../../shared/sector.definition';
import { isRetirement } from '../../shared/record-links';
import type { ShareEvent } from '../../shared/share-event';
import { vietnamDay } from '@bus/contracts';
import {
  cardStatusOn,
  evolveInsured,
  type InsuredPerson,
  retireInsured,
} from '../domain/insured-person';

const COLUMNS = `personal_id, full_name, date_of_birth, gender, registered_province, registered_commune,
  temporary_province, status, date_of_death, card_group, card_valid_from, card_valid_until,
  card_status, id_card_number, successor_id, previous_ids`;

type Row = Record<string, unknown>;

const fromRow = (r: Row): InsuredPerson => ({
  personalId: r.personal_id as string,
  fullName: r.full_name as string,
  dateOfBirth: r.date_of_birth as string,
  gender: r.gender as string,
  registeredProvince: r.registered_province as string | null,
  registeredCommune: r.registered_commune as string | null,
  temporaryProvince: r.temporary_province as string | null,
  status: r.status as string,
  dateOfDeath: r.date_of_death as string | null,
  cardGroup: r.card_group as string | null,
  cardValidFrom: r.card_valid_from as string | null,
  cardValidUntil: r.card_valid_until as string | null,
  cardStatus: r.card_status as InsuredPerson['cardStatus'],
  idCardNumber: r.id_card_number as string | null,
  successorId: r.successor_id as string | null,
  previousIds: r.previous_ids as string[],
});

async function load(db: PoolClient | Pool, personalId: string): Promise<InsuredPerson | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM insured_persons WHERE personal_id = $1`, [
    personalId,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

async function loadMany(
  tx: PoolClient,
  ids: readonly string[],
): Promise<Map<string, InsuredPerson>> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS} FROM insured_persons WHERE personal_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r: Row) => [r.personal_id as string, fromRow(r)]));
}

const toRow = (p: InsuredPerson): Row => ({
  personal_id: p.personalId,
  full_name: p.fullName,
  date_of_birth: p.dateOfBirth,
  gender: p.gender,
  registered_province: p.registeredProvince,
  registered_commune: p.registeredCommune,
  temporary_province: p.temporaryProvince,
  status: p.status,
  date_of_death: p.dateOfDeath,
  card_group: p.cardGroup,
  card_valid_from: p.cardValidFrom,
  card_valid_until: p.cardValidUntil,
  card_status: p.cardStatus,
  id_card_number: p.idCardNumber,
  successor_id: p.successorId,
  previous_ids: p.previousIds,
});

const historyRow = (personalId: string, e: ShareEvent, cardStatus: string): Row => ({
  personal_id: personalId,
  event_id: e.eventId,
  event_type: e.eventType,
  occurred_at: new Date(e.occurredAt).toISOString(),
  card_status: cardStatus,
});

async function save(tx: PoolClient, p: InsuredPerson): Promise<void> {
  await tx.query(
    `INSERT INTO insured_persons (${COLUMNS})
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
     ON CONFLICT (personal_id) DO UPDATE SET
       full_name = excluded.full_name, date_of_birth = excluded.date_of_birth,
       gender = excluded.gender, registered_province = excluded.registered_province,
       registered_commune = excluded.registered_commune,
       temporary_province = excluded.temporary_province, status = excluded.status,
       date_of_death = excluded.date_of_death, card_group = excluded.card_group,
       card_valid_from = excluded.card_valid_from, card_valid_until = excluded.card_valid_until,
       card_status = excluded.card_status, id_card_number = excluded.id_card_number,
       successor_id = excluded.successor_id, previous_ids = excluded.previous_ids`,
    [
      p.personalId,
      p.fullName,
      p.dateOfBirth,
      p.gender,
      p.registeredProvince,
      p.registeredCommune,
      p.temporaryProvince,
      p.status,
      p.dateOfDeath,
      p.cardGroup,
      p.cardValidFrom,
      p.cardValidUntil,
      p.cardStatus,
      p.idCardNumber,
      p.successorId,
      [...p.previousIds],
    ],
  );
}

async function history(tx: PoolClient, personalId: string, e: ShareEvent, card: string) {
  await tx.query(
    `INSERT INTO insured_person_history (personal_id, event_id, event_type, occurred_at, card_status)
     VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5)`,
    [personalId, e.eventId, e.eventType, e.occurredAt, card],
  );
}

/** Merges and reissues touch two records: one at a time, whatever the keys' arrival order. */
async function applyOne(tx: PoolClient, e: ShareEvent): Promise<void> {
  const current = await load(tx, e.personalId);
  if (isRetirement(e)) {
    const { successorId } = e;
    const { retired, successor } = retireInsured(current, await load(tx, successorId), e);
    if (e.eventType === 'ID_NUMBER_REISSUED') {
      // The number is cancelled: the register keeps one row, under the new number.
      await tx.query('DELETE FROM insured_persons WHERE personal_id = $1', [e.personalId]);
      await tx.query('UPDATE insured_person_history SET personal_id = $2 WHERE personal_id = $1', [
        e.personalId,
        successorId,
      ]);
      await save(tx, successor);
      await history(tx, successorId, e, successor.cardStatus);
      return;
    }
    await save(tx, retired);
    await save(tx, successor);
    await history(tx, retired.personalId, e, retired.cardStatus);
    return;
  }
  const next = evolveInsured(current, e);
  await save(tx, next);
  await history(tx, next.personalId, e, next.cardStatus);
}

/** The sector's rules as Nest event handlers on the sector-sync transport. */
@SyncRules()
export class BhytRules {
  /** Merges and reissues touch two records: one at a time, in partition order. */
  @EventPattern(CROSS_RECORD_EVENTS)
  crossRecord(@Payload() e: ShareEvent, @Ctx() ctx: SyncContext): Promise<void> {
    return applyOne(ctx.getTransaction(), e);
  }

  /** Every other event in bulk: one read, the pure rules in memory, one write per table. */
  @OnEventRun()
  async run(@Payload() events: readonly ShareEvent[], @Ctx() ctx: SyncContext): Promise<void> {
    const history: Row[] = [];
    await applyRun<InsuredPerson>(ctx.getTransaction(), events, {
      loadMany,
      evolve: evolveInsured,
      observe: (e, _before, after) =>
        history.push(historyRow(after.personalId, e, after.cardStatus)),
      flush: async (db, states) => {
        await bulkUpsert(db, 'insured_persons', 'personal_id', states.map(toRow));
        await bulkInsert(db, 'insured_person_history', history.splice(0));
      },
    });
  }
}

export const bhytSector: SectorDefinition = {
  sector: 'bhyt',
  defaultPort: 3011,
  migrationsDir: join(__dirname, 'migrations'),
  tables: ['insured_persons', 'insured_person_history'],
  rules: BhytRules,
  find: async (pool, personalId) => {
    const person = await load(pool, personalId);
    if (!person) return null;
    // A card runs out without an event: its status is read on today's civil date.
    const cardStatus = cardStatusOn(person, vietnamDay(Date.now()));
    const { rows } = await pool.query(
      `SELECT event_type AS "eventType", occurred_at AS "occurredAt", card_status AS "cardStatus"
       FROM insured_person_history WHERE personal_id = $1 ORDER BY id`,
      [personalId],
    );
    return { ...person, cardStatus, history: rows };
  },
};
