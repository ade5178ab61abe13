import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createKafka } from '@bus/platform';
import { onCleanup, testStack, waitFor } from '@bus/testing';

const ROOT = resolve(__dirname, '../../../..');

function kafkaLibs(): string {
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
    readFileSync(join(ROOT, 'stack/kafka/pom.xml'), 'utf8'),
  )?.[1];
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const libs = join(cache, 'citizen-bus', `kafka-${version}`, 'libs');
  if (!existsSync(join(libs, '.complete'))) {
    throw new Error(`Kafka jars missing in ${libs}: run npm run stack:up once`);
  }
  return libs;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function answers(broker: string): Promise<boolean> {
  const admin = createKafka({
    brokers: [broker],
    clientId: 'throwaway-probe',
    overrides: { retry: { retries: 0 }, connectionTimeout: 1_000 },
  }).admin();
  try {
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [] });
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The harness's SCRAM identity and the stack's TLS material, when the stack is secured. */
function harnessIdentity() {
  const env = testStack().clientEnv;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD_FILE: file } = env ?? {};
  const ca = env?.KAFKA_SSL_CA_FILE;
  if (!username || !file || !ca) return undefined;
  const password = readFileSync(file, 'utf8').trim();
  // The stack keeps the broker's PEM keystore beside its CA (tools/lib/kafka-security.ts).
  return { username, password, ca, keystore: join(dirname(ca), 'broker-keystore.pem') };
}

/**
 * Like the stack's broker: clients on SASL_SSL (the harness's SCRAM user, the stack's
 * certificate), so that every client of the bus connects to it unchanged. No authorizer:
 * the harness is a super user on the stack anyway.
 */
function listenerLines(
  port: number,
  controller: number,
  identity: ReturnType<typeof harnessIdentity>,
): string[] {
  const listeners = [
    `listeners=${identity ? 'SASL_SSL' : 'PLAINTEXT'}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=${identity ? 'SASL_SSL' : 'PLAINTEXT'}://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
  ];
  if (!identity)
    return [
      ...listeners,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
    ];
  return [
    ...listeners,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${identity.username}" password="${identity.password}";`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${identity.keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${identity.ca}`,
  ];
}

export interface ThrowawayBroker {
  readonly broker: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A second single-node KRaft broker on free ports with its own temporary data dir, so a
 * test can stop and restart "Kafka" without touching the shared broker.
 */
export async function startThrowawayBroker(): Promise<ThrowawayBroker> {
  const libs = kafkaLibs();
  const identity = harnessIdentity();
  const [port, controller] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'population-broker-'));
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
      ...listenerLines(port, controller, identity),
      `log.dirs=${join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const java = (main: string, args: string[]) => [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${join(ROOT, 'stack/kafka/log4j2.xml')}`,
    '-cp',
    `${libs}/*`,
    main,
    ...args,
  ];
  const clusterId = randomBytes(16).toString('base64url');
  // `--cluster-id=<id>` in one word: an id that starts with '-' (1 in 64) is otherwise read as an option.
  const format = spawnSync(
    'java',
    java('kafka.tools.StorageTool', [
      'format',
      '--standalone',
      `--cluster-id=${clusterId}`,
      '-c',
      config,
      ...(identity
        ? ['--add-scram', `SCRAM-SHA-512=[name=${identity.username},password=${identity.password}]`]
        : []),
    ]),
    {
      encoding: 'utf8',
    },
  );
  if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stderr}`);

  const broker = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = spawn('java', java('kafka.Kafka', [config]), {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4_000)));
    child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4_000)));
    await waitFor(() => answers(broker), {
      description: `throwaway broker on ${broker} (${log.slice(-300)})`,
      timeoutMs: 90_000,
      intervalMs: 500,
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGKILL');
    await exited;
  };
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  onCleanup(stop);
  await start();
  return { broker, stop, start };
}
