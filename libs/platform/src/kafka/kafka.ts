import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { Logger } from '../logging/logger';
import {
  isKafkaAuthenticationFailure,
  KafkaAuthenticationError,
  kafkaSecurityFromEnv,
  type KafkaSecurity,
} from './kafka-security';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's own logs into the service's JSON logger. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      // kafkajs logs every error response from the broker ("Response CreateTopics…",
      // "Response Metadata…") before it retries or throws; the exception, not the log
      // line, is what matters, so these stay at debug. So does "Failed to send messages",
      // logged on each retry of a send (a transaction's CONCURRENT_TRANSACTIONS, say): a send
      // that finally fails throws, and the stage says so.
      const retried =
        message.startsWith('Response ') || message.startsWith('Failed to send messages');
      const effective = level === logLevel.ERROR && retried ? logLevel.DEBUG : level;
      logger[LEVELS[effective] ?? 'info']({ kafka: extra }, message);
    };
}

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger?: Logger;
  readonly overrides?: Partial<KafkaConfig>;
  /** Who the client is; by default the KAFKA_SASL_* and KAFKA_SSL_CA_FILE variables say. */
  readonly security?: KafkaSecurity;
}

export function createKafka({
  brokers,
  clientId,
  logger,
  overrides,
  security = kafkaSecurityFromEnv(),
}: KafkaClientOptions): Kafka {
  // The default partitioner is the Java-compatible murmur2 one, which is what we want
  // (keys land where Java, Go or Python producers would put them); kafkajs warns about
  // its v2 switch on every producer unless told otherwise.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const kafka = new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
    retry: { initialRetryTime: 200, retries: 8 },
    ...security,
    ...overrides,
  });
  const sasl = security.sasl;
  return explainingRefusals(kafka, sasl && 'username' in sasl ? sasl.username : undefined);
}

/**
 * A refused password is a setting to fix: every client's connect() turns kafkajs's SASL
 * refusal into KafkaAuthenticationError (not retriable, it names the variables), so that
 * an app exits at boot instead of retrying forever.
 */
function explainingRefusals(kafka: Kafka, username: string | undefined): Kafka {
  const guard = <C extends { connect(): Promise<void> }>(client: C): C => {
    const connect = client.connect.bind(client);
    client.connect = async () => {
      try {
        await connect();
      } catch (error) {
        if (isKafkaAuthenticationFailure(error))
          throw new KafkaAuthenticationError(username, error);
        throw error;
      }
    };
    return client;
  };
  const { admin, producer, consumer } = kafka;
  kafka.admin = (config) => guard(admin.call(kafka, config));
  kafka.producer = (config) => guard(producer.call(kafka, config));
  kafka.consumer = (config) => guard(consumer.call(kafka, config));
  return kafka;
}
