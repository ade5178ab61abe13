import { join } from 'node:path';
import type { Pool } from 'pg';
import { migrate } from '../database/database';
import type { Logger } from '../logging/logger';
import type { Principal } from '../auth/principal';

export interface AuditEntry {
  readonly requestId: string | undefined;
  readonly principal: Principal;
  /** A stable name such as `citizens.register-death` or `dead-letters.replay`. */
  readonly action: string;
  readonly citizenId: string | undefined;
  /** What else the action was about (a consumer group, a dead-letter position). */
  readonly target: string | undefined;
  readonly outcome: 'ok' | 'refused' | 'failed';
  readonly status: number;
}

export interface AuditRow {
  readonly at: Date;
  readonly requestId: string | null;
  readonly subject: string;
  readonly clientId: string;
  readonly username: string | null;
  readonly roles: string[];
  readonly agency: string | null;
  readonly action: string;
  readonly citizenId: string | null;
  readonly target: string | null;
  readonly outcome: string;
  readonly status: number;
}

export const AUDIT_MIGRATIONS_DIR = join(__dirname, 'migrations');

/** Its own migrations table, so that it sits beside each service's own migration history. */
export function migrateAuditTrail(databaseUrl: string, logger?: Logger): Promise<string[]> {
  return migrate({
    databaseUrl,
    dir: AUDIT_MIGRATIONS_DIR,
    migrationsTable: 'pgmigrations_audit',
    ...(logger ? { logger } : {}),
  });
}

/** The service's append-only audit table. */
export class AuditTrail {
  constructor(private readonly pool: Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    const p = entry.principal;
    await this.pool.query(
      `INSERT INTO audit_trail
         (request_id, subject, client_id, username, roles, agency, action, citizen_id, target, outcome, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.requestId ?? null,
        p.subject,
        p.clientId,
        p.username ?? null,
        [...p.roles],
        p.agency ?? null,
        entry.action,
        entry.citizenId ?? null,
        entry.target ?? null,
        entry.outcome,
        entry.status,
      ],
    );
  }

  /** For a data-protection officer: by citizen, by actor (subject or username), newest first. */
  async query(filter: { citizenId?: string; actor?: string; limit?: number }): Promise<AuditRow[]> {
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT at, request_id AS "requestId", subject, client_id AS "clientId", username, roles,
              agency, action, citizen_id AS "citizenId", target, outcome, status
         FROM audit_trail
        WHERE ($1::text IS NULL OR citizen_id = $1)
          AND ($2::text IS NULL OR subject = $2 OR username = $2)
        ORDER BY at DESC, id DESC
        LIMIT $3`,
      [filter.citizenId ?? null, filter.actor ?? null, Math.min(filter.limit ?? 100, 1_000)],
    );
    return rows;
  }
}
