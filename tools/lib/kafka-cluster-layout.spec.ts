import { describe, expect, it } from 'vitest';
import { clusterLayout, serverProperties } from './kafka-cluster-layout.ts';
import { KAFKA_CONTROLLER_PORT, KAFKA_PORT } from './stack-settings.ts';

const properties = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

const secure = { adminPassword: 'not-a-real-password' };

describe('the three-node layout', () => {
  const nodes = clusterLayout(3);
  const configs = nodes.map((node) => properties(serverProperties(node, nodes, secure)));

  it('gives every node its own id, ports and directories', () => {
    expect(nodes.map((n) => n.id)).toEqual([1, 2, 3]);
    expect(nodes.map((n) => n.brokerPort)).toEqual([KAFKA_PORT, KAFKA_PORT + 10, KAFKA_PORT + 20]);
    expect(nodes.map((n) => n.controllerPort)).toEqual([
      KAFKA_CONTROLLER_PORT,
      KAFKA_CONTROLLER_PORT + 10,
      KAFKA_CONTROLLER_PORT + 20,
    ]);
    for (const key of ['dataDir', 'configFile', 'pidFile', 'logFile'] as const)
      expect(new Set(nodes.map((n) => n[key])).size).toBe(3);
    expect(configs.map((c) => c.get('node.id'))).toEqual(['1', '2', '3']);
    expect(configs.map((c) => c.get('log.dirs'))).toEqual(nodes.map((n) => n.dataDir));
  });

  it('makes all three voters of one quorum, each with combined roles', () => {
    const voters = `1@127.0.0.1:${KAFKA_CONTROLLER_PORT},2@127.0.0.1:${KAFKA_CONTROLLER_PORT + 10},3@127.0.0.1:${KAFKA_CONTROLLER_PORT + 20}`;
    for (const config of configs) {
      expect(config.get('controller.quorum.voters')).toBe(voters);
      expect(config.get('process.roles')).toBe('broker,controller');
    }
  });

  it('keeps three replicas of everything, internal topics included, with two in sync', () => {
    for (const config of configs) {
      expect(config.get('default.replication.factor')).toBe('3');
      expect(config.get('min.insync.replicas')).toBe('2');
      expect(config.get('offsets.topic.replication.factor')).toBe('3');
      expect(config.get('transaction.state.log.replication.factor')).toBe('3');
      expect(config.get('transaction.state.log.min.isr')).toBe('2');
    }
  });

  it('secures clients and brokers with SASL_SSL/SCRAM and the quorum with mutual TLS', () => {
    configs.forEach((config, index) => {
      const node = nodes[index]!;
      expect(config.get('listeners')).toBe(
        `SASL_SSL://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      );
      expect(config.get('advertised.listeners')).toBe(`SASL_SSL://127.0.0.1:${node.brokerPort}`);
      expect(config.get('listener.security.protocol.map')).toBe('SASL_SSL:SASL_SSL,CONTROLLER:SSL');
      expect(config.get('inter.broker.listener.name')).toBe('SASL_SSL');
      expect(config.get('sasl.mechanism.inter.broker.protocol')).toBe('SCRAM-SHA-512');
      expect(config.get('listener.name.controller.ssl.client.auth')).toBe('required');
      expect(config.get('allow.everyone.if.no.acl.found')).toBe('false');
      expect(config.get('authorizer.class.name')).toBe(
        'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      );
    });
  });
});

describe('the one-node layout', () => {
  const [node] = clusterLayout(1);
  const config = properties(serverProperties(node!, [node!], secure));

  it('keeps one copy and bootstraps its own quorum on the configured ports', () => {
    expect(config.get('controller.quorum.bootstrap.servers')).toBe(
      `127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    );
    expect(config.has('controller.quorum.voters')).toBe(false);
    expect(config.get('offsets.topic.replication.factor')).toBe('1');
    expect(config.get('transaction.state.log.min.isr')).toBe('1');
    expect(config.get('default.replication.factor')).toBe('1');
  });

  it('runs without TLS, SASL or ACLs only when asked to (plaintext)', () => {
    const plain = properties(serverProperties(node!, [node!], { plaintext: true }));
    expect(plain.get('listeners')).toBe(
      `PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    );
    expect(plain.has('authorizer.class.name')).toBe(false);
  });
});
