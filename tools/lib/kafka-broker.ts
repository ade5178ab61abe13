import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { CACHE_DIR, ROOT } from './paths.ts';
import { StackError } from './stack-error.ts';
import {
  ADMIN_PRINCIPAL,
  ensureCertificates,
  KAFKA_CA_FILE,
  kafkajsSecurity,
  kafkaPasswords,
} from './kafka-security.ts';
import {
  clusterLayout,
  formattedNodeCount,
  heapOptions,
  hostPort,
  KAFKA_DIR,
  LAYOUT_FILE,
  serverProperties,
  type KafkaNodeLayout,
  type NodeCount,
} from './kafka-cluster-layout.ts';
import { KAFKA_PLAINTEXT, KAFKA_PORT } from './stack-settings.ts';
import {
  runningPid,
  startDetached,
  stopProcess,
  tail,
  waitUntil,
  type ManagedProcess,
} from './processes.ts';

const POM = join(ROOT, 'stack/kafka/pom.xml');
/** Node 1's client port: every layout has it, so a single address reaches any stack. */
export const BROKER = `127.0.0.1:${KAFKA_PORT}`;

/** A node as a managed process; its config file's path tells its JVM from any other. */
export function nodeProcess(node: KafkaNodeLayout): ManagedProcess {
  return {
    name: `kafka-${node.id}`,
    pidFile: node.pidFile,
    logFile: node.logFile,
    marker: node.configFile,
  };
}

/** Every node of either layout, one node's first: what stack:down and a layout switch stop. */
export const allNodes = (): KafkaNodeLayout[] => [...clusterLayout(1), ...clusterLayout(3)];

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

function writeConfigs(nodes: readonly KafkaNodeLayout[], adminPassword: string): void {
  const security = KAFKA_PLAINTEXT ? ({ plaintext: true } as const) : { adminPassword };
  for (const node of nodes) {
    mkdirSync(node.dataDir, { recursive: true });
    // it holds the admin's password
    writeFileSync(node.configFile, serverProperties(node, nodes, security), { mode: 0o600 });
    chmodSync(node.configFile, 0o600);
  }
}

export function javaArgs(libs: string, count: NodeCount, mainClass: string, args: string[]) {
  return [
    ...heapOptions(count),
    '-XX:+UseG1GC',
    `-Dlog4j2.configurationFile=${join(ROOT, 'stack/kafka/log4j2.xml')}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];
}

/**
 * Formats the KRaft storage only when needed: a restart keeps its topics. A node count other
 * than the one formatted, or SCRAM users other than the stored ones (a plaintext stack, a new
 * sector), formats every node afresh: the local topics are test data, and a cluster whose
 * nodes were formatted apart would not agree on its metadata.
 */
function ensureFormatted(
  libs: string,
  nodes: readonly KafkaNodeLayout[],
  passwords: Record<string, string>,
): void {
  const count = nodes.length as NodeCount;
  const users = Object.keys(passwords).sort().join('\n');
  const formatted = (node: KafkaNodeLayout) =>
    existsSync(join(node.dataDir, 'meta.properties')) &&
    existsSync(node.scramUsersFile) &&
    readFileSync(node.scramUsersFile, 'utf8') === users;
  if (formattedNodeCount() === count && nodes.every(formatted)) return;
  const previous = formattedNodeCount();
  if (previous !== undefined) {
    process.stdout.write(
      previous === count
        ? 'stack: kafka storage lacks the SCRAM principals; formatting afresh\n'
        : `stack: kafka storage was formatted for ${previous} node(s); formatting ${count} afresh\n`,
    );
  }
  // Both layouts' data goes: the other layout's topics would be stale after this one ran.
  for (const node of allNodes()) rmSync(node.dataDir, { recursive: true, force: true });
  rmSync(LAYOUT_FILE, { force: true });
  const clusterId = 'Y2l0aXplbi1kYXRhLWJ1cw'; // fixed, local-only: 22 chars of base64
  for (const node of nodes) {
    mkdirSync(node.dataDir, { recursive: true });
    const result = spawnSync(
      'java',
      javaArgs(libs, count, 'kafka.tools.StorageTool', [
        'format',
        // One node bootstraps its own quorum; a cluster's voters are in its config.
        ...(count === 1 ? ['--standalone'] : []),
        '-t',
        clusterId,
        '-c',
        node.configFile,
        ...Object.entries(passwords).flatMap(([name, password]) => [
          '--add-scram',
          `SCRAM-SHA-512=[name=${name},password=${password}]`,
        ]),
      ]),
      { encoding: 'utf8' },
    );
    if (result.status !== 0)
      throw new StackError(
        `kafka storage format failed (node ${node.id}): ${result.stderr.trim()}`,
      );
    writeFileSync(node.scramUsersFile, users);
  }
  writeFileSync(LAYOUT_FILE, `${count}\n`);
}

function kafkaClient(brokers: readonly string[], timeoutMs = 1_000) {
  return new kafkajs.Kafka({
    clientId: 'stack-probe',
    brokers: [...brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    retry: { retries: 0 },
    ...(existsSync(KAFKA_CA_FILE) ? kafkajsSecurity(ADMIN_PRINCIPAL) : {}),
  });
}

export async function brokerAnswers(brokers = [BROKER]): Promise<boolean> {
  const admin = kafkaClient(brokers).admin();
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
 * The cluster as the node at `broker` sees it: the node ids registered (unfenced) and the
 * partitions, internal topics included, whose in-sync replicas are fewer than their replicas.
 */
export async function clusterHealth(
  broker: string,
): Promise<{ brokerIds: number[]; underReplicated: number }> {
  const admin = kafkaClient([broker], 2_000).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    const topics = await admin.listTopics();
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    const underReplicated = meta
      .flatMap((t) => t.partitions)
      .filter((p) => p.isr.length < p.replicas.length || p.leader < 0).length;
    return { brokerIds: brokers.map((b) => b.nodeId).sort(), underReplicated };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Starts one node's JVM from its written config (the storage is formatted). */
export function launchNode(libs: string, node: KafkaNodeLayout, count: NodeCount): number {
  return startDetached(
    nodeProcess(node),
    'java',
    javaArgs(libs, count, 'kafka.Kafka', [node.configFile]),
    { cwd: node.dir },
  );
}

/**
 * A node is ready when it answers clients and, on a cluster, every node is registered and no
 * partition lacks an in-sync replica: only then is stopping another node safe.
 */
export async function nodeReady(node: KafkaNodeLayout, count: NodeCount): Promise<boolean> {
  const broker = hostPort(node.brokerPort);
  if (!(await brokerAnswers([broker]))) return false;
  if (count === 1) return true;
  const health = await clusterHealth(broker);
  return health.brokerIds.length === count && health.underReplicated === 0;
}

const secured = (node: KafkaNodeLayout) =>
  existsSync(node.configFile) && readFileSync(node.configFile, 'utf8').includes('SASL_SSL://');

/**
 * Brings up `count` nodes (1 or 3). 'external': a broker this checkout did not start
 * (another checkout's stack, say) already answers on the port; it is used as is and never
 * stopped by this stack.
 */
export async function startKafka(
  count: NodeCount,
  timeoutMs = count === 1 ? 60_000 : 180_000,
): Promise<'running' | 'started' | 'external'> {
  const nodes = clusterLayout(count);
  const wanted = new Set(nodes.map((n) => n.pidFile));
  // Nodes of the other layout, or started with the other security (a plaintext one from
  // before the upgrade, or a measuring run): stop them rather than hand clients the wrong one.
  for (const node of allNodes()) {
    if (runningPid(nodeProcess(node)) === undefined) continue;
    if (!wanted.has(node.pidFile) || secured(node) === KAFKA_PLAINTEXT) {
      process.stdout.write(`stack: stopping kafka node ${node.id} (other layout or security)\n`);
      await stopProcess(nodeProcess(node), 60_000);
    }
  }
  const ours = nodes.filter((n) => runningPid(nodeProcess(n)) !== undefined);
  if (ours.length === 0 && (await brokerAnswers())) return 'external';
  if (ours.length === count && formattedNodeCount() === count) {
    if (await nodeReady(nodes[0]!, count)) return 'running';
  }
  requireTool(
    'java',
    '-version',
    'install a Java 17+ runtime (apt-get install openjdk-17-jre-headless), or use docker compose.',
  );
  const libs = ensureJars();
  if (ours.length < count) {
    ensureCertificates();
    const passwords = kafkaPasswords();
    // A cluster formats all its nodes together: a partly running one is stopped first.
    for (const node of ours) await stopProcess(nodeProcess(node), 60_000);
    mkdirSync(KAFKA_DIR, { recursive: true });
    writeConfigs(nodes, passwords[ADMIN_PRINCIPAL] ?? '');
    ensureFormatted(libs, nodes, passwords);
    for (const node of nodes) launchNode(libs, node, count);
  }
  const ready = await waitUntil(
    async () => (await Promise.all(nodes.map((n) => nodeReady(n, count)))).every(Boolean),
    timeoutMs,
    () => nodes.some((n) => runningPid(nodeProcess(n)) === undefined),
  );
  if (!ready) {
    const logs = nodes.map((n) => `node ${n.id} (${n.logFile}):\n${tail(n.logFile, 8)}`);
    throw new StackError(
      `Kafka (${count} node(s)) did not become ready within ${timeoutMs / 1000}s. Last log lines:\n${logs.join('\n')}`,
    );
  }
  return 'started';
}
