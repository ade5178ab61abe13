import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { CACHE_DIR, ROOT, STATE_DIR } from './paths.ts';
import { StackError } from './stack-error.ts';
import {
  ADMIN_PRINCIPAL,
  BROKER_DN,
  BROKER_KEYSTORE,
  ensureCertificates,
  KAFKA_CA_FILE,
  kafkajsSecurity,
  kafkaPasswords,
} from './kafka-security.ts';
import { KAFKA_CONTROLLER_PORT, KAFKA_PLAINTEXT, KAFKA_PORT } from './stack-settings.ts';
import {
  runningPid,
  startDetached,
  stopProcess,
  tail,
  waitUntil,
  type ManagedProcess,
} from './processes.ts';

const POM = join(ROOT, 'stack/kafka/pom.xml');
const KAFKA_DIR = join(STATE_DIR, 'kafka');
const DATA_DIR = join(KAFKA_DIR, 'data');
const CONFIG = join(KAFKA_DIR, 'server.properties');
export const BROKER = `127.0.0.1:${KAFKA_PORT}`;
const CONTROLLER = `127.0.0.1:${KAFKA_CONTROLLER_PORT}`;
/** The principals the storage was formatted with: a new one needs a fresh format. */
const SCRAM_USERS = join(KAFKA_DIR, 'scram-users');

export const kafkaProcess: ManagedProcess = {
  name: 'kafka',
  pidFile: join(KAFKA_DIR, 'kafka.pid'),
  logFile: join(KAFKA_DIR, 'kafka.log'),
  marker: CONFIG,
};

export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new StackError(`no <kafka.version> in ${POM}`);
  return match[1];
}

function requireTool(tool: string, versionArg: string, hint: string): void {
  const probe = spawnSync(tool, [versionArg], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0)
    throw new StackError(`${tool} was not found on PATH: ${hint}`);
}

/** Maven copies the pinned broker's jars into a cache outside the tracked tree, once. */
export function ensureJars(): string {
  const libs = join(CACHE_DIR, `kafka-${kafkaVersion()}`, 'libs');
  const done = join(libs, '.complete');
  if (existsSync(done)) return libs;
  requireTool(
    'mvn',
    '-v',
    'install Apache Maven 3.8+ (apt-get install maven), or use docker compose.',
  );
  process.stdout.write(
    `stack: fetching Apache Kafka ${kafkaVersion()} jars with Maven into ${libs}\n`,
  );
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libs}`,
      '-DincludeScope=runtime',
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new StackError('Maven could not fetch the Kafka jars (see above).');
  writeFileSync(done, `${readdirSync(libs).length} jars\n`);
  return libs;
}

function secureListeners(adminPassword: string): string[] {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_PRINCIPAL}" password="${adminPassword}";`;
  return [
    `listeners=SASL_SSL://${BROKER},CONTROLLER://${CONTROLLER}`,
    `advertised.listeners=SASL_SSL://${BROKER}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL',
    'inter.broker.listener.name=SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas}`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${BROKER_KEYSTORE}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${KAFKA_CA_FILE}`,
    'listener.name.controller.ssl.client.auth=required',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${ADMIN_PRINCIPAL};User:${BROKER_DN}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/** STACK_KAFKA_SECURITY=plaintext: for measuring what security costs, never the default. */
function plaintextListeners(): string[] {
  return [
    `listeners=PLAINTEXT://${BROKER},CONTROLLER://${CONTROLLER}`,
    `advertised.listeners=PLAINTEXT://${BROKER}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
  ];
}

/**
 * Clients (and the broker to itself) use SASL_SSL with SCRAM-SHA-512; KRaft's controller
 * listener cannot use SCRAM, so it stays on loopback with mutual TLS (the broker's own
 * certificate, a super user). Every other principal gets only what its ACLs grant.
 */
function writeConfig(adminPassword: string): void {
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(
    CONFIG,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=${CONTROLLER}`,
      ...(KAFKA_PLAINTEXT ? plaintextListeners() : secureListeners(adminPassword)),
      `log.dirs=${DATA_DIR}`,
      'num.partitions=6',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=10',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
      'delete.topic.enable=true',
      'log.retention.hours=168',
      '',
    ].join('\n'),
    { mode: 0o600 }, // it holds the admin's password
  );
  chmodSync(CONFIG, 0o600);
}

function java(libs: string, mainClass: string, args: string[]) {
  return [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    `-Dlog4j2.configurationFile=${join(ROOT, 'stack/kafka/log4j2.xml')}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];
}

/** Formats the KRaft storage only once: a restart keeps its topics. */
function ensureFormatted(libs: string, passwords: Record<string, string>): void {
  const users = Object.keys(passwords).sort().join('\n');
  if (existsSync(join(DATA_DIR, 'meta.properties'))) {
    if (existsSync(SCRAM_USERS) && readFileSync(SCRAM_USERS, 'utf8') === users) return;
    // Formatted without these SCRAM users (a plaintext stack, or before a new sector): the
    // local topics are test data, so the storage starts afresh rather than half secured.
    process.stdout.write('stack: kafka storage lacks the SCRAM principals; formatting afresh\n');
    rmSync(DATA_DIR, { recursive: true, force: true });
    mkdirSync(DATA_DIR, { recursive: true });
  }
  const clusterId = 'Y2l0aXplbi1kYXRhLWJ1cw'; // fixed, local-only: 22 chars of base64
  const result = spawnSync(
    'java',
    java(libs, 'kafka.tools.StorageTool', [
      'format',
      '--standalone',
      '-t',
      clusterId,
      '-c',
      CONFIG,
      ...Object.entries(passwords).flatMap(([name, password]) => [
        '--add-scram',
        `SCRAM-SHA-512=[name=${name},password=${password}]`,
      ]),
    ]),
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new StackError(`kafka storage format failed: ${result.stderr.trim()}`);
  writeFileSync(SCRAM_USERS, users);
}

export async function brokerAnswers(brokers = [BROKER]): Promise<boolean> {
  const kafka = new kafkajs.Kafka({
    clientId: 'stack-probe',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
    ...(existsSync(KAFKA_CA_FILE) ? kafkajsSecurity(ADMIN_PRINCIPAL) : {}),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [] });
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * 'external': a broker this checkout did not start (another checkout's stack, say)
 * already answers on the port; it is used as is and never stopped by this stack.
 */
export async function startKafka(timeoutMs = 60_000): Promise<'running' | 'started' | 'external'> {
  // Our broker started with the other security (a plaintext one from before the upgrade, or
  // a measuring run): restart it in the wanted mode rather than hand clients the wrong one.
  const secured = existsSync(CONFIG) && readFileSync(CONFIG, 'utf8').includes('SASL_SSL://');
  if (runningPid(kafkaProcess) !== undefined && secured === KAFKA_PLAINTEXT) {
    process.stdout.write('stack: restarting kafka with the wanted security\n');
    await stopProcess(kafkaProcess, 60_000);
  }
  if (await brokerAnswers()) return runningPid(kafkaProcess) === undefined ? 'external' : 'running';
  requireTool(
    'java',
    '-version',
    'install a Java 17+ runtime (apt-get install openjdk-17-jre-headless), or use docker compose.',
  );
  const libs = ensureJars();
  if (runningPid(kafkaProcess) === undefined) {
    ensureCertificates();
    const passwords = kafkaPasswords();
    writeConfig(passwords[ADMIN_PRINCIPAL] ?? '');
    ensureFormatted(libs, passwords);
    startDetached(kafkaProcess, 'java', java(libs, 'kafka.Kafka', [CONFIG]), { cwd: KAFKA_DIR });
  }
  const ready = await waitUntil(
    () => brokerAnswers(),
    timeoutMs,
    () => runningPid(kafkaProcess) === undefined,
  );
  if (!ready) {
    throw new StackError(
      `Kafka did not answer on ${BROKER} within ${timeoutMs / 1000}s. Last log lines:\n${tail(kafkaProcess.logFile)}`,
    );
  }
  return 'started';
}
