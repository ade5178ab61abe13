import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OnEventRun, SyncRules, type SyncContext } from '@bus/sector-sync';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { applyRun, bulkUpsert } from '../../shared/run-apply';
import { CROSS_RECORD_EVENTS, type SectorDefinition } from '../../shared/sector.definition';
import { isRetirement } from '../../shared/record-links';
import type { ShareEvent } from '../../shared/share-event';
import {
  evolveHolder,
  INHERITANCE_PENDING,
  type LandHolder,
  linkDay,
  retireHolder,
  spouseLinkChange,
  type SpouseLinkChange,
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

interface LinkStep extends SpouseLinkChange {
  readonly holderId: string;
  readonly day: string;
}

/**
 * Opens a reference unless the same one is open already: a repoint by the spouse's
 * own correction and a move by the retirement may meet in either order.
 */
const OPEN_LINK = `INSERT INTO land_co_ownerships (holder_id, spouse_id, since)
  SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM land_co_ownerships
    WHERE holder_id = $1 AND spouse_id = $2 AND until IS NULL)`;

async function applyLinks(tx: PoolClient, steps: readonly LinkStep[]): Promise<void> {
  // Marriages and divorces are rare: one statement each, in order.
  for (const { holderId, day, close, open, repoint } of steps) {
    if (close) {
      await tx.query(
        'UPDATE land_co_ownerships SET until = $3 WHERE holder_id = $1 AND spouse_id = $2 AND until IS NULL',
        [holderId, close, day],
      );
    }
    if (repoint) {
      await tx.query(
        `UPDATE land_co_ownerships SET spouse_id = $3
         WHERE holder_id = $1 AND spouse_id = $2 AND until IS NULL`,
        [holderId, repoint.from, repoint.to],
      );
      await tx.query(OPEN_LINK, [holderId, repoint.to, day]);
    }
    if (open) await tx.query(OPEN_LINK, [holderId, open, day]);
  }
}

/**
 * The retired number's holdings and references move to the successor. Where the
 * successor already had the same open reference (its own events came first), the two
 * are one marriage: the earliest start is kept.
 */
async function moveToSuccessor(tx: PoolClient, retiredId: string, successor: LandHolder) {
  const successorId = successor.personalId;
  // Holdings reaching a successor whose death arrived first wait for the inheritance too.
  await tx.query(
    `UPDATE land_holdings SET holder_id = $2,
       status = CASE WHEN $3::boolean THEN $4 ELSE status END
     WHERE holder_id = $1`,
    [retiredId, successorId, successor.status === 'DECEASED', INHERITANCE_PENDING],
  );
  await tx.query('UPDATE land_co_ownerships SET holder_id = $2 WHERE holder_id = $1', [
    retiredId,
    successorId,
  ]);
  await tx.query('UPDATE land_co_ownerships SET spouse_id = $2 WHERE spouse_id = $1', [
    retiredId,
    successorId,
  ]);
  await tx.query(
    `DELETE FROM land_co_ownerships a USING land_co_ownerships b
     WHERE a.until IS NULL AND b.until IS NULL AND a.id <> b.id
       AND a.holder_id = b.holder_id AND a.spouse_id = b.spouse_id
       AND (a.since, a.id) > (b.since, b.id)
       AND $1 IN (a.holder_id, a.spouse_id)`,
    [successorId],
  );
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
  if (isRetirement(e)) {
    const { successorId } = e;
    const { retired, successor } = retireHolder(before, await load(tx, successorId), e);
    await save(tx, retired);
    await save(tx, successor);
    await moveToSuccessor(tx, e.personalId, successor);
    return;
  }
  const after = evolveHolder(before, e);
  await save(tx, after);
  await applyLinks(tx, [
    {
      holderId: e.personalId,
      day: linkDay(e),
      ...spouseLinkChange(before, after, e.eventType),
    },
  ]);
  if (e.eventType === 'DEATH_REGISTERED') {
    await tx.query('UPDATE land_holdings SET status = $2 WHERE holder_id = $1', [
      e.personalId,
      INHERITANCE_PENDING,
    ]);
  }
}

/** The sector's rules as Nest event handlers on the sector-sync transport. */
@SyncRules()
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
        const link = spouseLinkChange(before, after, e.eventType);
        if (link.close || link.open || link.repoint) {
          links.push({ holderId: e.personalId, day: linkDay(e), ...link });
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
