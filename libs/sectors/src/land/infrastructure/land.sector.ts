import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OnEventRun, type SyncContext } from '@bus/sector-sync';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { applyRun, bulkUpsert } from '../../shared/run-apply';
import { CROSS_RECORD_EVENTS, type SectorDefinition } from '../../shared/sector.definition';
import { isoDay, type ShareEvent } from '../../shared/share-event';
import {
  evolveHolder,
  INHERITANCE_PENDING,
  type LandHolder,
  spouseLinkChange,
} from '../domain/land-holder';

const COLUMNS = `personal_id AS "personalId", full_name AS "fullName", date_of_birth AS "dateOfBirth",
  address_line AS "addressLine", province_code AS "provinceCode", commune_code AS "communeCode",
  id_card_number AS "idCardNumber", marital_status AS "maritalStatus", spouse_id AS "spouseId",
  status, date_of_death AS "dateOfDeath", successor_id AS "successorId"`;

async function load(db: Pool | PoolClient, personalId: string): Promise<LandHolder | null> {
  const { rows } = await db.query<LandHolder>(
    `SELECT ${COLUMNS} FROM land_holders WHERE personal_id = $1`,
    [personalId],
  );
  return rows[0] ?? null;
}

async function loadMany(tx: PoolClient, ids: readonly string[]) {
  const { rows } = await tx.query<LandHolder>(
    `SELECT ${COLUMNS} FROM land_holders WHERE personal_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.personalId, r]));
}

const toRow = (h: LandHolder) => ({
  personal_id: h.personalId,
  full_name: h.fullName,
  date_of_birth: h.dateOfBirth,
  address_line: h.addressLine,
  province_code: h.provinceCode,
  commune_code: h.communeCode,
  id_card_number: h.idCardNumber,
  marital_status: h.maritalStatus,
  spouse_id: h.spouseId,
  status: h.status,
  date_of_death: h.dateOfDeath,
  successor_id: h.successorId,
});

interface LinkStep {
  readonly holderId: string;
  readonly day: string;
  readonly close: string | null;
  readonly open: string | null;
}

async function applyLinks(tx: PoolClient, steps: readonly LinkStep[]): Promise<void> {
  // Marriages and divorces are rare: one statement each, in order.
  for (const { holderId, day, close, open } of steps) {
    if (close) {
      await tx.query(
        'UPDATE land_co_ownerships SET until = $3 WHERE holder_id = $1 AND spouse_id = $2 AND until IS NULL',
        [holderId, close, day],
      );
    }
    if (open) {
      await tx.query(
        'INSERT INTO land_co_ownerships (holder_id, spouse_id, since) VALUES ($1, $2, $3)',
        [holderId, open, day],
      );
    }
  }
}

async function save(tx: PoolClient, h: LandHolder): Promise<void> {
  await tx.query(
    `INSERT INTO land_holders (personal_id, full_name, date_of_birth, address_line, province_code,
       commune_code, id_card_number, marital_status, spouse_id, status, date_of_death, successor_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
     ON CONFLICT (personal_id) DO UPDATE SET full_name = excluded.full_name,
       date_of_birth = excluded.date_of_birth, address_line = excluded.address_line,
       province_code = excluded.province_code, commune_code = excluded.commune_code,
       id_card_number = excluded.id_card_number, marital_status = excluded.marital_status,
       spouse_id = excluded.spouse_id, status = excluded.status,
       date_of_death = excluded.date_of_death, successor_id = excluded.successor_id`,
    [
      h.personalId,
      h.fullName,
      h.dateOfBirth,
      h.addressLine,
      h.provinceCode,
      h.communeCode,
      h.idCardNumber,
      h.maritalStatus,
      h.spouseId,
      h.status,
      h.dateOfDeath,
      h.successorId,
    ],
  );
}

async function applyOne(tx: PoolClient, e: ShareEvent): Promise<void> {
  const before = await load(tx, e.personalId);
  const after = evolveHolder(before, e);
  const day = isoDay(e.occurredAt);
  if (e.eventType === 'ID_NUMBER_REISSUED' || e.eventType === 'RECORDS_MERGED') {
    // The holdings and co-ownerships follow the person to the successor number.
    if (after.successorId) {
      await save(tx, after);
      await save(tx, { ...after, personalId: after.successorId, successorId: null });
      await tx.query('UPDATE land_holdings SET holder_id = $2 WHERE holder_id = $1', [
        e.personalId,
        after.successorId,
      ]);
      await tx.query('UPDATE land_co_ownerships SET holder_id = $2 WHERE holder_id = $1', [
        e.personalId,
        after.successorId,
      ]);
      await tx.query('UPDATE land_co_ownerships SET spouse_id = $2 WHERE spouse_id = $1', [
        e.personalId,
        after.successorId,
      ]);
      return;
    }
  }
  await save(tx, after);
  const link = spouseLinkChange(before, after);
  if (link.close) {
    await tx.query(
      'UPDATE land_co_ownerships SET until = $3 WHERE holder_id = $1 AND spouse_id = $2 AND until IS NULL',
      [e.personalId, link.close, day],
    );
  }
  if (link.open) {
    await tx.query(
      'INSERT INTO land_co_ownerships (holder_id, spouse_id, since) VALUES ($1, $2, $3)',
      [e.personalId, link.open, day],
    );
  }
  if (e.eventType === 'DEATH_REGISTERED') {
    await tx.query('UPDATE land_holdings SET status = $2 WHERE holder_id = $1', [
      e.personalId,
      INHERITANCE_PENDING,
    ]);
  }
}

/** The sector's rules as Nest event handlers on the sector-sync transport. */
@Controller()
export class LandRules {
  /** Merges and reissues touch two records: one at a time, in partition order. */
  @EventPattern(CROSS_RECORD_EVENTS)
  crossRecord(@Payload() e: ShareEvent, @Ctx() ctx: SyncContext): Promise<void> {
    return applyOne(ctx.getTransaction(), e);
  }

  /** Every other event in bulk: one read, the pure rules in memory, one write per table. */
  @OnEventRun()
  async run(@Payload() events: readonly ShareEvent[], @Ctx() ctx: SyncContext): Promise<void> {
    const links: LinkStep[] = [];
    const deaths: string[] = [];
    await applyRun<LandHolder>(ctx.getTransaction(), events, {
      loadMany,
      evolve: evolveHolder,
      observe: (e, before, after) => {
        const link = spouseLinkChange(before, after);
        if (link.close || link.open) {
          links.push({ holderId: e.personalId, day: isoDay(e.occurredAt), ...link });
        }
        if (e.eventType === 'DEATH_REGISTERED') deaths.push(e.personalId);
      },
      flush: async (db, states) => {
        await bulkUpsert(db, 'land_holders', 'personal_id', states.map(toRow));
        await applyLinks(db, links.splice(0));
        if (deaths.length > 0) {
          await db.query('UPDATE land_holdings SET status = $2 WHERE holder_id = ANY($1::text[])', [
            deaths.splice(0),
            INHERITANCE_PENDING,
          ]);
        }
      },
    });
  }
}

export const landSector: SectorDefinition = {
  sector: 'land',
  defaultPort: 3012,
  migrationsDir: join(__dirname, 'migrations'),
  // land_holdings is the land office's own data: a rebuild keeps it.
  tables: ['land_holders', 'land_co_ownerships'],
  rules: LandRules,
  find: async (pool, personalId) => {
    const holder = await load(pool, personalId);
    if (!holder) return null;
    const coOwners = await pool.query(
      `SELECT spouse_id AS "spouseId", since::text, until::text FROM land_co_ownerships
       WHERE holder_id = $1 ORDER BY id`,
      [personalId],
    );
    const holdings = await pool.query(
      'SELECT parcel_id AS "parcelId", status FROM land_holdings WHERE holder_id = $1 ORDER BY parcel_id',
      [personalId],
    );
    return { ...holder, coOwnerships: coOwners.rows, holdings: holdings.rows };
  },
};
