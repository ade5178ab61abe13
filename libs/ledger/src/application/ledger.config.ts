import { z } from 'zod';
import {
  busDatabaseName,
  DEFAULT_DATABASE_URL,
  databaseUrlFor,
  env,
  loadConfig,
} from '@bus/platform';
import { DELIVERY_RECEIPTS_TOPIC, LEDGER_GROUP } from '@bus/contracts';

/** The ledger's consumer group (`bus.<service>`), named in contracts with the other groups. */
export { LEDGER_GROUP };

const schema = z.object({
  PORT: env.port(3006),
  KAFKA_BROKERS: env.kafkaBrokers,
  DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
  // No default: a default inside optional() was always applied, and 'postgres://unset' names no database.
  LEDGER_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  RECEIPTS_TOPIC: z.string().min(1).default(DELIVERY_RECEIPTS_TOPIC),
  LEDGER_GROUP: z.string().min(1).default(LEDGER_GROUP),
  /** Whole months of deliveries kept before their monthly partition is dropped. */
  LEDGER_RETENTION_MONTHS: env.positiveInt(60),
});

export interface LedgerConfig {
  readonly port: number;
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly receiptsTopic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly retentionMonths: number;
}

export function loadLedgerConfig(
  source: Record<string, string | undefined> = process.env,
): LedgerConfig {
  const c = loadConfig('ledger', schema, source);
  return {
    port: c.PORT,
    brokers: c.KAFKA_BROKERS,
    databaseUrl:
      c.LEDGER_DATABASE_URL ?? databaseUrlFor(c.DATABASE_URL, busDatabaseName('bus_ledger')),
    receiptsTopic: c.RECEIPTS_TOPIC,
    groupId: c.LEDGER_GROUP,
    deadLetterTopic: `${c.LEDGER_GROUP}.dlt`,
    retentionMonths: c.LEDGER_RETENTION_MONTHS,
  };
}
