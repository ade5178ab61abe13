import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OnEventRun, SyncRules, type SyncContext } from '@bus/sector-sync';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { applyRun, bulkUpsert } from '../../shared/run-apply';
import { CROSS_RECORD_EVENTS, type SectorDefinition } from '../../shared/sector.definition';
import { isRetirement } from '../../shared/record-links';
import type { ShareEvent } from '../../shared/share-event';
import {
  APPLICANT_DECEASED,
  type CitizenProfile,
  evolveProfile,
  retireProfile,
} from '../domain/citizen-profile';

const COLUMNS = `personal_id AS "personalId", full_name AS "fullName", date_of_birth AS "dateOfBirth",
  gender, permanent_residence AS "permanentResidence", temporary_residence AS "temporaryResidence",
  marital_status AS "maritalStatus", spouse_id AS "spouseId", id_card_number AS "idCardNumber",
  electronic_id_level AS "electronicIdLevel", status, date_of_death AS "dateOfDeath",
  successor_id AS "successorId"`;

async function load(db: Pool | PoolClient, id: string): Promise<CitizenProfile | null> {
  const { rows } = await db.query<CitizenProfile>(
    `SELECT ${COLUMNS} FROM citizen_profiles WHERE personal_id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

async function loadMany(tx: PoolClient, ids: readonly string[]) {
  const { rows } = await tx.query<CitizenProfile>(
    `SELECT ${COLUMNS} FROM citizen_profiles WHERE personal_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.personalId, r]));
}

const toRow = (p: CitizenProfile) => ({
  personal_id: p.personalId,
  full_name: p.fullName,
  date_of_birth: p.dateOfBirth,
  gender: p.gender,
  permanent_residence: p.permanentResidence,
  temporary_residence: p.temporaryResidence,
  marital_status: p.maritalStatus,
  spouse_id: p.spouseId,
  id_card_number: p.idCardNumber,
  electronic_id_level: p.electronicIdLevel,
  status: p.status,
  date_of_death: p.dateOfDeath,
  successor_id: p.successorId,
});

async function save(tx: PoolClient, p: CitizenProfile): Promise<void> {
  await tx.query(
    `INSERT INTO citizen_profiles (personal_id, full_name, date_of_birth, gender, permanent_residence,
       temporary_residence, marital_status, spouse_id, id_card_number, electronic_id_level, status,
       date_of_death, successor_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
     ON CONFLICT (personal_id) DO UPDATE SET full_name = excluded.full_name,
       date_of_birth = excluded.date_of_birth, gender = excluded.gender,
       permanent_residence = excluded.permanent_residence,
       temporary_residence = excluded.temporary_residence, marital_status = excluded.marital_status,
       spouse_id = excluded.spouse_id, id_card_number = excluded.id_card_number,
       electronic_id_level = excluded.electronic_id_level, status = excluded.status,
       date_of_death = excluded.date_of_death, successor_id = excluded.successor_id`,
    [
      p.personalId,
      p.fullName,
      p.dateOfBirth,
      p.gender,
      p.permanentResidence === null ? null : JSON.stringify(p.permanentResidence),
      p.temporaryResidence === null ? null : JSON.stringify(p.temporaryResidence),
      p.maritalStatus,
      p.spouseId,
      p.idCardNumber,
      p.electronicIdLevel,
      p.status,
      p.dateOfDeath,
      p.successorId,
    ],
  );
}

async function applyOne(tx: PoolClient, e: ShareEvent): Promise<void> {
  const current = await load(tx, e.personalId);
  if (isRetirement(e)) {
    const { successorId } = e;
    const { retired, successor } = retireProfile(current, await load(tx, successorId), e);
    await save(tx, retired);
    await save(tx, successor);
    // Pending applications continue under the new number (decided ones stay as filed),
    // flagged if the successor's death arrived first.
    await tx.query(
      `UPDATE tthc_applications SET personal_id = $2,
         flag = CASE WHEN $3::boolean THEN $4 ELSE flag END
       WHERE personal_id = $1 AND status = 'PENDING'`,
      [e.personalId, successorId, successor.status === 'DECEASED', APPLICANT_DECEASED],
    );
    return;
  }
  await save(tx, evolveProfile(current, e));
  if (e.eventType === 'DEATH_REGISTERED') {
    await tx.query(
      `UPDATE tthc_applications SET flag = $2 WHERE personal_id = $1 AND status = 'PENDING'`,
      [e.personalId, APPLICANT_DECEASED],
    );
  }
}

/** The sector's rules as Nest event handlers on the sector-sync transport. */
@SyncRules()
export class TthcRules {
  /** Merges and reissues touch two records: one at a time, in partition order. */
  @EventPattern(CROSS_RECORD_EVENTS)
  crossRecord(@Payload() e: ShareEvent, @Ctx() ctx: SyncContext): Promise<void> {
    return applyOne(ctx.getTransaction(), e);
  }

  /** Every other event in bulk: one read, the pure rules in memory, one write per table. */
  @OnEventRun()
  async run(@Payload() events: readonly ShareEvent[], @Ctx() ctx: SyncContext): Promise<void> {
    const deaths: string[] = [];
    await applyRun<CitizenProfile>(ctx.getTransaction(), events, {
      loadMany,
      evolve: evolveProfile,
      observe: (e) => {
        if (e.eventType === 'DEATH_REGISTERED') deaths.push(e.personalId);
      },
      flush: async (db, states) => {
        await bulkUpsert(db, 'citizen_profiles', 'personal_id', states.map(toRow));
        if (deaths.length > 0) {
          await db.query(
            `UPDATE tthc_applications SET flag = $2
               WHERE personal_id = ANY($1::text[]) AND status = 'PENDING'`,
            [deaths.splice(0), APPLICANT_DECEASED],
          );
        }
      },
    });
  }
}

export const tthcSector: SectorDefinition = {
  sector: 'tthc',
  defaultPort: 3014,
  migrationsDir: join(__dirname, 'migrations'),
  // tthc_applications belongs to the portal: a rebuild keeps it.
  tables: ['citizen_profiles'],
  rules: TthcRules,
  find: async (pool, personalId) => {
    const profile = await load(pool, personalId);
    if (!profile) return null;
    const { rows } = await pool.query(
      `SELECT application_id AS "applicationId", procedure_code AS "procedureCode", status, flag
       FROM tthc_applications WHERE personal_id = $1 ORDER BY application_id`,
      [personalId],
    );
    return { ...profile, applications: rows };
  },
};
