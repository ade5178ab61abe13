import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';

import {
  createTopicNamed,
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { groupOf, json, startConsole } from './ops-console.harness';

describe('ops console: /metrics and /health', () => {
  it('serves valid Prometheus exposition with lag, status and dead-letter counts', async () => {
    const topic = await createTestTopic('metrics', 1);
    const group = uniqueName('sync-metrics');
    const { url, managementUrl } = await startConsole({ tthc: group });
    await createTopicNamed(`${group}.dlt`);
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    await producer.send({
      topic: `${group}.dlt`,
      acks: -1,
      messages: [{ key: 'x', value: 'poison' }],
    });
    const consumer = await connectedConsumer(group);
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        // Commit only the first message: one offset of lag stays.
        if (seen++ === 0) {
          await consumer.commitOffsets([
            { topic, partition, offset: String(Number(message.offset) + 1) },
          ]);
        }
      },
    });
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.lag === 1 && g.deadLetters.total === 1;
      },
      { description: 'lag 1 and one dead letter', timeoutMs: 30_000, intervalMs: 200 },
    );

    const response = await fetch(`${managementUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const families = parsePrometheusTextFormat(text);
    const family = (name: string) => families.find((f) => f.name === name);
    expect(family('bus_consumergroup_lag')?.type).toBe('GAUGE');
    expect(family('bus_consumergroup_lag')?.metrics).toContainEqual({
      labels: { group, topic, partition: '0' },
      value: '1',
    });
    expect(
      family('bus_consumergroup_lag_seconds')?.metrics.find((m) => m.labels?.group === group),
    ).toBeDefined();
    expect(family('bus_consumergroup_status')?.metrics).toContainEqual(
      expect.objectContaining({ labels: { group, sector: 'tthc' } }),
    );
    expect(family('bus_deadletter_messages')?.metrics).toContainEqual({
      labels: { group, sector: 'tthc' },
      value: '1',
    });

    const health = await json<{ ok: boolean; kafka: string; database: string }>(
      `${managementUrl}/health`,
      {},
      null,
    );
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, database: 'ok' });
  });
});
