import { existsSync, rmSync } from 'node:fs';
import { clusterHealth, ensureJars, launchNode, nodeProcess, nodeReady } from './kafka-broker.ts';
import {
  clusterLayout,
  currentNodeCount,
  hostPort,
  type KafkaNodeLayout,
} from './kafka-cluster-layout.ts';
import { runningPid, stopProcess, tail, waitUntil } from './processes.ts';
import { StackError } from './stack-error.ts';

/**
 * The Kafka nodes of the local stack, for tools that stop and start them (the fault
 * campaign, tools/chaos.ts) and for every client that should know all of them.
 */
export interface KafkaNode {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly logFile: string;
}

const toNode = ({ id, brokerPort, controllerPort, logFile }: KafkaNodeLayout): KafkaNode => ({
  id,
  brokerPort,
  controllerPort,
  logFile,
});

/** The nodes the current stack runs (1 or 3): the layout its storage was formatted for. */
export function kafkaNodes(): readonly KafkaNode[] {
  return clusterLayout(currentNodeCount()).map(toNode);
}

/** host:port of every node: what KAFKA_BROKERS should say so that no single node is needed. */
export function bootstrapBrokers(): string[] {
  return kafkaNodes().map((node) => hostPort(node.brokerPort));
}

/**
 * What an app of the local stack sets to reach every node, and to create the master topic
 * with as many replicas as there are nodes (the other topics take the brokers' default).
 * An explicit MASTER_TOPIC_REPLICATION_FACTOR wins.
 */
export function kafkaNodesEnv(): Record<string, string> {
  return {
    KAFKA_BROKERS: bootstrapBrokers().join(','),
    MASTER_TOPIC_REPLICATION_FACTOR:
      process.env.MASTER_TOPIC_REPLICATION_FACTOR ?? String(kafkaNodes().length),
  };
}

function layoutOf(id: number): KafkaNodeLayout {
  const node = clusterLayout(currentNodeCount()).find((n) => n.id === id);
  if (!node)
    throw new StackError(
      `no kafka node ${id} in this stack (nodes: ${bootstrapBrokers().join(', ')})`,
    );
  return node;
}

export function nodePid(id: number): number | undefined {
  return runningPid(nodeProcess(layoutOf(id)));
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

/** SIGKILL (a crash: no controlled shutdown); returns once the process is gone. */
export async function killNode(id: number): Promise<void> {
  const node = layoutOf(id);
  const pid = runningPid(nodeProcess(node));
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  rmSync(node.pidFile, { force: true });
}

/** SIGTERM: the broker's controlled shutdown moves its leaderships away first; waits for the exit. */
export async function stopNode(id: number, graceMs = 60_000): Promise<void> {
  await stopProcess(nodeProcess(layoutOf(id)), graceMs);
}

/**
 * Starts a stopped node again and resolves when it serves clients and, on a cluster, every
 * node is registered and no partition is under-replicated (the node has caught up): the point
 * at which a rolling restart may take the next node down.
 */
export async function startNode(id: number, timeoutMs = 180_000): Promise<void> {
  const count = currentNodeCount();
  const node = layoutOf(id);
  if (!existsSync(node.configFile))
    throw new StackError(`kafka node ${id} has no config yet: run npm run stack:up first`);
  if (runningPid(nodeProcess(node)) === undefined) launchNode(ensureJars(), node, count);
  const ready = await waitUntil(
    () => nodeReady(node, count),
    timeoutMs,
    () => runningPid(nodeProcess(node)) === undefined,
  );
  if (!ready) {
    const health =
      count === 1
        ? ''
        : await clusterHealth(hostPort(node.brokerPort)).then(
            (h) =>
              ` (brokers ${h.brokerIds.join(',')}, ${h.underReplicated} under-replicated partitions)`,
            () => '',
          );
    throw new StackError(
      `kafka node ${id} was not ready within ${timeoutMs / 1000}s${health}. Last log lines:\n${tail(node.logFile)}`,
    );
  }
}

/** Under-replicated partitions (internal topics included) as any live node reports them. */
export async function underReplicatedPartitions(): Promise<number> {
  for (const broker of bootstrapBrokers()) {
    const health = await clusterHealth(broker).catch(() => undefined);
    if (health) return health.underReplicated;
  }
  throw new StackError(`no kafka node answers (${bootstrapBrokers().join(', ')})`);
}
