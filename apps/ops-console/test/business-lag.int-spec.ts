import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';

import {
  connectedAdmin,
  connectedProducer,
  createTestTopic,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { groupOf, startConsole } from './ops-console.harness';

describe('ops console: business-time lag', () => {
  it('reads now minus occurredAt of the last applied event from ops.sync-progress', async () => {
    const topic = await createTestTopic('business', 1);
    const group = uniqueName('sync-business');
    const { url, managementUrl, progressTopic } = await startConsole({ land: group });
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    const admin = await connectedAdmin();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] });
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const appliedAt = new Date().toISOString();
    await producer.send({
      topic: progressTopic,
      acks: -1,
      messages: [
        {
          key: `${group}/${topic}/0`,
          value: JSON.stringify({
            group,
            topic,
            partition: 0,
            // As the sync services write it: kafkajs offsets are strings.
            offset: '1',
            lastOccurredAt: occurredAt,
            lastRecordedAt: occurredAt,
            appliedAt,
            applied: 1,
            skipped: 0,
            deadLettered: 0,
          }),
        },
        { key: 'garbage', value: '{"not":"progress"}' },
      ],
    });
    const behind = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.businessLagSeconds !== null && g.lag === 2 ? g : undefined;
      },
      { description: 'business lag of the group', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(behind.businessLagSeconds).toBeGreaterThanOrEqual(3_600);
    expect(behind.businessLagSeconds).toBeLessThan(3_700);
    expect(behind.partitions[0]).toMatchObject({
      lastOccurredAt: occurredAt,
      lastAppliedAt: appliedAt,
    });
    const metrics = parsePrometheusTextFormat(
      await (await fetch(`${managementUrl}/metrics`)).text(),
    );
    const business = metrics.find((f) => f.name === 'bus_consumergroup_business_lag_seconds');
    expect(
      Number(business?.metrics.find((m) => m.labels?.group === group)?.value),
    ).toBeGreaterThanOrEqual(3_600);
  });
});
