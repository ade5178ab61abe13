import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OnEventRun, SyncRules, type SyncContext } from '@bus/sector-sync';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { applyRun, bulkInsert, bulkUpsert } from '../../shared/run-apply';
import { CROSS_RECORD_EVENTS, type SectorDefinition } from '../../shared/sector.definition';
import { isRetirement } from '../../shared/record-links';
import type { ShareEvent } from '../../shared/share-event';
import {
  childDependants,
  type ChildDependants,
  evolveTaxpayer,
  retireTaxpayer,
  type Taxpayer,
} from '../domain/taxpayer';

const COLUMNS = `tax_code AS "taxCode", full_name AS "fullName", date_of_birth AS "dateOfBirth",
  province_code AS "provinceCode", managing_authority AS "managingAuthority", status,
  closed_on AS "closedOn", successor_tax_code AS "successorTaxCode"`;

async function load(db: Pool | PoolClient, code: string): Promise<Taxpayer | null> {
  const { rows } = await db.query<Taxpayer>(
    `SELECT ${COLUMNS} FROM taxpayers WHERE tax_code = $1`,
    [code],
  );
  return rows[0] ?? null;
}

async function loadMany(tx: PoolClient, ids: readonly string[]) {
  const { rows } = await tx.query<Taxpayer>(
    `SELECT ${COLUMNS} FROM taxpayers WHERE tax_code = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.taxCode, r]));
}

const toRow = (t: Taxpayer) => ({
  tax_code: t.taxCode,
  full_name: t.fullName,
  date_of_birth: t.dateOfBirth,
  province_code: t.provinceCode,
  managing_authority: t.managingAuthority,
  status: t.status,
  closed_on: t.closedOn,
  successor_tax_code: t.successorTaxCode,
});

async function save(tx: PoolClient, t: Taxpayer): Promise<void> {
  await tx.query(
    `INSERT INTO taxpayers (tax_code, full_name, date_of_birth, province_code, managing_authority,
       status, closed_on, successor_tax_code) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (tax_code) DO UPDATE SET full_name = excluded.full_name,
       date_of_birth = excluded.date_of_birth, province_code = excluded.province_code,
       managing_authority = excluded.managing_authority, status = excluded.status,
       closed_on = excluded.closed_on, successor_tax_code = excluded.successor_tax_code`,
    [
      t.taxCode,
      t.fullName,
      t.dateOfBirth,
      t.provinceCode,
      t.managingAuthority,
      t.status,
      t.closedOn,
      t.successorTaxCode,
    ],
  );
}

/** Each child's CHILD rows become exactly its claimable parents (added and removed). */
async function setChildDependants(tx: PoolClient, sets: readonly ChildDependants[]): Promise<void> {
  if (sets.length === 0) return;
  await tx.query(
    `DELETE FROM tax_dependants d
     USING jsonb_to_recordset($1::jsonb) AS s(child text, parents text[])
     WHERE d.dependant_code = s.child AND d.relation = 'CHILD'
       AND NOT (d.taxpayer_code = ANY(s.parents))`,
    [JSON.stringify(sets)],
  );
  const rows = sets.flatMap(({ child, parents }) =>
    parents.map((parent) => ({ taxpayer_code: parent, dependant_code: child, relation: 'CHILD' })),
  );
  await bulkInsert(tx, 'tax_dependants', rows, 'ON CONFLICT DO NOTHING');
}

/** The retired code's dependant rows, on either side, continue under the successor. */
async function moveDependants(tx: PoolClient, retiredCode: string, successorCode: string) {
  for (const column of ['taxpayer_code', 'dependant_code'] as const) {
    await tx.query(
      `INSERT INTO tax_dependants (taxpayer_code, dependant_code, relation)
       SELECT ${column === 'taxpayer_code' ? '$2, dependant_code' : 'taxpayer_code, $2'}, relation
       FROM tax_dependants WHERE ${column} = $1 ON CONFLICT DO NOTHING`,
      [retiredCode, successorCode],
    );
    await tx.query(`DELETE FROM tax_dependants WHERE ${column} = $1`, [retiredCode]);
  }
}

async function applyOne(tx: PoolClient, e: ShareEvent): Promise<void> {
  const current = await load(tx, e.personalId);
  if (isRetirement(e)) {
    const { successorId } = e;
    const { retired, successor } = retireTaxpayer(current, await load(tx, successorId), e);
    await save(tx, retired);
    await save(tx, successor);
    await moveDependants(tx, e.personalId, successorId);
    return;
  }
  await save(tx, evolveTaxpayer(current, e));
  await setChildDependants(tx, [childDependants(e)]);
}

/** The sector's rules as Nest event handlers on the sector-sync transport. */
@SyncRules()
export class TaxRules {
  /** Merges and reissues touch two records: one at a time, in partition order. */
  @EventPattern(CROSS_RECORD_EVENTS)
  crossRecord(@Payload() e: ShareEvent, @Ctx() ctx: SyncContext): Promise<void> {
    return applyOne(ctx.getTransaction(), e);
  }

  /** Every other event in bulk: one read, the pure rules in memory, one write per table. */
  @OnEventRun()
  async run(@Payload() events: readonly ShareEvent[], @Ctx() ctx: SyncContext): Promise<void> {
    const dependants = new Map<string, ChildDependants>();
    await applyRun<Taxpayer>(ctx.getTransaction(), events, {
      loadMany,
      evolve: evolveTaxpayer,
      observe: (e) => void dependants.set(e.personalId, childDependants(e)),
      flush: async (db, states) => {
        await bulkUpsert(db, 'taxpayers', 'tax_code', states.map(toRow));
        await setChildDependants(db, [...dependants.values()]);
        dependants.clear();
      },
    });
  }
}

export const taxSector: SectorDefinition = {
  sector: 'tax',
  defaultPort: 3013,
  migrationsDir: join(__dirname, 'migrations'),
  tables: ['taxpayers', 'tax_dependants'],
  rules: TaxRules,
  find: async (pool, personalId) => {
    const taxpayer = await load(pool, personalId);
    if (!taxpayer) return null;
    const { rows } = await pool.query(
      `SELECT dependant_code AS "dependantCode", relation FROM tax_dependants
       WHERE taxpayer_code = $1 ORDER BY dependant_code`,
      [personalId],
    );
    return { ...taxpayer, dependants: rows };
  },
};
