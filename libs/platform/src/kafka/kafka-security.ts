import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { BusError } from '../errors/bus-error';
import { ConfigError } from '../errors/config-error';
import { ErrorCode } from '../errors/error-codes';

/**
 * Who a Kafka client is: SASL/SCRAM-SHA-512 over TLS (docs/data-plane-security.md). Read from
 * the environment in this one place, so that every client of the bus (apps, tools, tests)
 * connects the same way. Values are never echoed in errors: they may be secrets.
 */
export interface KafkaSecurityEnv {
  readonly KAFKA_SASL_USERNAME?: string;
  readonly KAFKA_SASL_PASSWORD?: string;
  readonly KAFKA_SASL_PASSWORD_FILE?: string;
  readonly KAFKA_SSL_CA_FILE?: string;
}

export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

const set = (value: string | undefined): value is string => value !== undefined && value !== '';

function readSetting(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      `Invalid Kafka configuration: ${variable} names a file that cannot be read (${why})`,
    );
  }
}

function kafkaEnvironment(): KafkaSecurityEnv {
  const { KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE } =
    process.env;
  return { KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE };
}

/**
 * No variable set: a plaintext client (a broker without security, such as a throwaway test
 * broker). Any of them set: the whole identity must be there, or boot fails with the variable.
 */
export function kafkaSecurityFromEnv(env: KafkaSecurityEnv = kafkaEnvironment()): KafkaSecurity {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  const { KAFKA_SASL_PASSWORD_FILE: passwordFile, KAFKA_SSL_CA_FILE: caFile } = env;
  const problems: string[] = [];
  if (set(password) && set(passwordFile))
    problems.push('KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: keep one');
  if (set(username) && !set(password) && !set(passwordFile))
    problems.push(
      'KAFKA_SASL_USERNAME is set without KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE',
    );
  if (!set(username) && (set(password) || set(passwordFile)))
    problems.push('a Kafka password is set without KAFKA_SASL_USERNAME');
  if (problems.length > 0)
    throw new ConfigError(
      `Invalid Kafka configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  const ssl = set(caFile) ? { ca: [readSetting('KAFKA_SSL_CA_FILE', caFile)] } : undefined;
  if (!set(username)) return ssl ? { ssl } : {};
  const secret = set(passwordFile)
    ? readSetting('KAFKA_SASL_PASSWORD_FILE', passwordFile).trim()
    : (password ?? '');
  return {
    // SCRAM over a plaintext connection would still expose the session: TLS always.
    ssl: ssl ?? true,
    sasl: { mechanism: 'scram-sha-512', username, password: secret },
  };
}

/** The broker refused the credentials: a setting to fix, never a reason to retry. */
export class KafkaAuthenticationError extends BusError {
  constructor(username: string | undefined, cause: unknown) {
    super(
      ErrorCode.KAFKA_AUTHENTICATION_FAILED,
      'internal',
      `Kafka refused the SASL credentials of KAFKA_SASL_USERNAME=${username ?? '(unset)'}: check KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`,
      { retriable: false, cause },
    );
  }
}

/** kafkajs's SASL refusal (wrong password, unknown user), wherever it is wrapped. */
export function isKafkaAuthenticationFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { name, cause, originalError } = e as {
      name?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (name === 'KafkaJSSASLAuthenticationError' || e instanceof KafkaAuthenticationError)
      return true;
    e = originalError ?? cause;
  }
  return false;
}
