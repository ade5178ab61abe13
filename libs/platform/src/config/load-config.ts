import { z } from 'zod';
import { ConfigError } from '../errors/config-error';

/**
 * Parses environment variables against one typed schema per lib and fails fast
 * with one readable line per bad variable, so a misconfigured deployment dies at
 * boot instead of on the first message.
 */
export function loadConfig<S extends z.ZodType>(
  scope: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    return `  - ${name}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
  });
  throw new ConfigError(`Invalid ${scope} configuration:\n${lines.join('\n')}`);
}

// The local stack's ports can move (STACK_*), so that a second stack runs beside the shared
// one; the apps' defaults follow them, and explicit KAFKA_BROKERS etc. still win.
const DEFAULT_KAFKA_BROKERS = `127.0.0.1:${process.env.STACK_KAFKA_PORT ?? '9092'}`;

const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const hostPort = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;

/** Reusable field schemas; each lib composes the ones it needs. */
export const env = {
  kafkaBrokers: z
    .string()
    .default(DEFAULT_KAFKA_BROKERS)
    .transform(csv)
    .refine((brokers) => brokers.length > 0 && brokers.every((b) => hostPort.test(b)), {
      message: 'must be a comma-separated list of host:port',
    }),
  url: (defaultValue?: string) =>
    defaultValue === undefined ? z.url() : z.url().default(defaultValue),
  postgresUrl: (defaultValue: string) =>
    z
      .string()
      .default(defaultValue)
      .refine((value) => /^postgres(ql)?:\/\//.test(value), {
        message: 'must be a postgres:// URL',
      }),
  port: (defaultValue: number) => z.coerce.number().int().min(1).max(65535).default(defaultValue),
  positiveInt: (defaultValue: number) => z.coerce.number().int().positive().default(defaultValue),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/**
 * A consumer's fetch window: the broker answers a fetch once `minBytes` are there or
 * `maxWaitMs` has passed. Under load a fetch fills at once; at a trickle, a window of tens
 * of milliseconds gathers several records per batch (one transaction, one database commit)
 * where `minBytes` 1 would pay a batch per record. Idle, a consumer fetches every `maxWaitMs`.
 */
export interface FetchWindow {
  readonly minBytes: number;
  readonly maxWaitMs: number;
}

/**
 * 64 KiB or 50 ms. Measured against 1 byte / 1,000 ms (`--e2e-only`, back to back,
 * bench/results/fetch-window/): end to end 2,290 against 1,864 events/s, CPU per event 0.88
 * against 1.09 ms (Kafka's 0.07 against 0.14), HTTP commands with the bus running 71 / 109
 * against 64 / 86 per s at 16 / 64 in flight. The price: up to 50 ms per hop at a trickle.
 */
export const DEFAULT_FETCH_WINDOW: FetchWindow = { minBytes: 65_536, maxWaitMs: 50 };

/** The stages' shared settings of their fetch window (see FetchWindow). */
export const fetchWindowEnv = {
  KAFKA_FETCH_MIN_BYTES: z.coerce.number().int().positive().default(DEFAULT_FETCH_WINDOW.minBytes),
  KAFKA_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(10).default(DEFAULT_FETCH_WINDOW.maxWaitMs),
};

export const fetchWindowOf = (c: {
  KAFKA_FETCH_MIN_BYTES: number;
  KAFKA_FETCH_MAX_WAIT_MS: number;
}): FetchWindow => ({ minBytes: c.KAFKA_FETCH_MIN_BYTES, maxWaitMs: c.KAFKA_FETCH_MAX_WAIT_MS });

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_SCHEMA_REGISTRY_URL = `http://127.0.0.1:${process.env.STACK_REGISTRY_PORT ?? '8081'}`;

/** A bus database's name on the server; a second local stack beside the first adds a suffix. */
export function busDatabaseName(name: string): string {
  return `${name}${process.env.STACK_DATABASE_SUFFIX ?? ''}`;
}
