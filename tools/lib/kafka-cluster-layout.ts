import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from './paths.ts';
import { ADMIN_PRINCIPAL, BROKER_DN, BROKER_KEYSTORE, KAFKA_CA_FILE } from './kafka-security.ts';
import {
  KAFKA_CONTROLLER_PORT,
  KAFKA_NODE_PORT_STEP,
  KAFKA_NODES,
  KAFKA_PORT,
} from './stack-settings.ts';

/**
 * Where each Kafka node of the local stack lives and how it is configured: pure, so that a
 * unit spec checks every node's server.properties without starting a JVM.
 *
 * One node keeps the paths it always had (.stack/kafka/{server.properties,data,kafka.log}), so
 * a stack started before the cluster existed is still recognised and stopped. A cluster's node n
 * lives in .stack/kafka/cluster/node-n/ with its own data, log, pid file and ports.
 */
export const KAFKA_DIR = join(STATE_DIR, 'kafka');
/** The node count the storage was last formatted for: what the stack runs (or ran last). */
export const LAYOUT_FILE = join(KAFKA_DIR, 'nodes');

export interface KafkaNodeLayout {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly dataDir: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** The SCRAM principals its storage was formatted with: a new one needs a fresh format. */
  readonly scramUsersFile: string;
}

export type NodeCount = 1 | 3;

export function nodeLayout(id: number, count: NodeCount): KafkaNodeLayout {
  const dir = count === 1 ? KAFKA_DIR : join(KAFKA_DIR, 'cluster', `node-${id}`);
  const offset = KAFKA_NODE_PORT_STEP * (id - 1);
  return {
    id,
    brokerPort: KAFKA_PORT + offset,
    controllerPort: KAFKA_CONTROLLER_PORT + offset,
    dir,
    dataDir: join(dir, 'data'),
    configFile: join(dir, 'server.properties'),
    pidFile: join(dir, 'kafka.pid'),
    logFile: join(dir, 'kafka.log'),
    scramUsersFile: join(dir, 'scram-users'),
  };
}

export function clusterLayout(count: NodeCount): KafkaNodeLayout[] {
  return Array.from({ length: count }, (_, index) => nodeLayout(index + 1, count));
}

/** What the storage was formatted for; a stack from before the cluster existed had one node. */
export function formattedNodeCount(): NodeCount | undefined {
  if (existsSync(LAYOUT_FILE)) return readFileSync(LAYOUT_FILE, 'utf8').trim() === '3' ? 3 : 1;
  return existsSync(join(nodeLayout(1, 1).dataDir, 'meta.properties')) ? 1 : undefined;
}

/** The nodes the stack runs: what STACK_KAFKA_NODES asks for, else the formatted layout, else 1. */
export function currentNodeCount(): NodeCount {
  return KAFKA_NODES ?? formattedNodeCount() ?? 1;
}

export const hostPort = (port: number) => `127.0.0.1:${port}`;

export type ListenerSecurity = { readonly plaintext: true } | { readonly adminPassword: string };

/**
 * Clients and the brokers among themselves use SASL_SSL with SCRAM-SHA-512 (the admin, a super
 * user); KRaft's controller listener cannot use SCRAM, so it stays on loopback with mutual TLS
 * (the brokers' own certificate, a super user). Every other principal gets only its ACLs.
 */
function listeners(node: KafkaNodeLayout, security: ListenerSecurity): string[] {
  const broker = hostPort(node.brokerPort);
  const controller = hostPort(node.controllerPort);
  if ('plaintext' in security) {
    return [
      `listeners=PLAINTEXT://${broker},CONTROLLER://${controller}`,
      `advertised.listeners=PLAINTEXT://${broker}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
    ];
  }
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_PRINCIPAL}" password="${security.adminPassword}";`;
  return [
    `listeners=SASL_SSL://${broker},CONTROLLER://${controller}`,
    `advertised.listeners=SASL_SSL://${broker}`,
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

/**
 * Replication: one node can only keep one copy. A cluster keeps three of everything, the
 * internal topics (offsets, transactions) included, and a write needs two in sync, so one node
 * may be down without refusing acks=all producers or transactions. Topics that the apps create
 * without a replication factor get the broker's default.
 */
function replication(count: NodeCount): string[] {
  const factor = count;
  const minIsr = count === 1 ? 1 : 2;
  return [
    `default.replication.factor=${factor}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${factor}`,
    `transaction.state.log.replication.factor=${factor}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${factor}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
  ];
}

/**
 * One node bootstraps its own quorum (formatted --standalone, as it always was); a cluster has
 * a static quorum of all three nodes, each a voter.
 */
function quorum(nodes: readonly KafkaNodeLayout[]): string {
  if (nodes.length === 1)
    return `controller.quorum.bootstrap.servers=${hostPort(nodes[0]!.controllerPort)}`;
  return `controller.quorum.voters=${nodes.map((n) => `${n.id}@${hostPort(n.controllerPort)}`).join(',')}`;
}

export function serverProperties(
  node: KafkaNodeLayout,
  nodes: readonly KafkaNodeLayout[],
  security: ListenerSecurity,
): string {
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    quorum(nodes),
    ...listeners(node, security),
    `log.dirs=${node.dataDir}`,
    'num.partitions=6',
    ...replication(nodes.length === 3 ? 3 : 1),
    'offsets.topic.num.partitions=10',
    'transaction.state.log.num.partitions=10',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

/** The JVM's heap: one node gets up to 1 GiB; each of a cluster's three about 512 MiB. */
export function heapOptions(count: NodeCount): string[] {
  return count === 1 ? ['-Xms256m', '-Xmx1g'] : ['-Xms256m', '-Xmx512m'];
}
