import { describe, expect, it } from 'vitest';

import { connectedProducer, createTestTopic, uniqueName, waitFor } from '@bus/testing';
import { groupOf, json, startConsole, startConsumer, steadyProducer } from './ops-console.harness';
import type { GroupView } from '@bus/lag-monitor';

describe('ops console: consumer lag', () => {
  it('sees a stopped consumer go STOP with growing lag, then OK after a restart', async () => {
    const topic = await createTestTopic('lag-stop', 2);
    const group = uniqueName('sync-stop');
    const { url } = await startConsole({ bhyt: group });
    const producer = await steadyProducer(topic);
    const first = await startConsumer(group, topic);

    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return (
          g.status === 'OK' && g.members > 0 && g.partitions.length === 2 && g.history.length >= 5
        );
      },
      { description: 'the running group to read OK', timeoutMs: 30_000, intervalMs: 250 },
    );

    await first.stop();
    const stopped = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.status === 'STOP' || g.status === 'ERR' ? g : undefined;
      },
      { description: 'the stopped group to read STOP or ERR', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(stopped.members).toBe(0);
    expect(stopped.lag).toBeGreaterThan(0);
    expect(stopped.sector).toBe('bhyt');
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.lag > stopped.lag && g.lagSeconds > 0 ? g : undefined;
      },
      { description: 'the lag of the stopped group to grow', timeoutMs: 20_000, intervalMs: 250 },
    );
    const rising = await groupOf(url, group);
    expect(rising.trend.direction).toBe('rising');
    expect(rising.trend.secondsToClear).toBeNull();

    await startConsumer(group, topic);
    await producer.stop();
    const recovered = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.status === 'OK' && g.lag === 0 ? g : undefined;
      },
      {
        description: 'the restarted group to catch up and read OK',
        timeoutMs: 40_000,
        intervalMs: 250,
      },
    );
    expect(recovered.lagSeconds).toBe(0);
    expect(recovered.partitions.every((p) => p.committed === p.end)).toBe(true);
  });

  it('keeps lag in seconds at 0 on an idle topic that is fully consumed', async () => {
    const topic = await createTestTopic('lag-idle', 1);
    const group = uniqueName('sync-idle');
    const { url } = await startConsole({ land: group });
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await startConsumer(group, topic);
    const caughtUp = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.partitions[0]?.committed === 20 ? g : undefined;
      },
      { description: 'the group to consume all 20 messages', timeoutMs: 30_000, intervalMs: 100 },
    );
    const readings: number[] = [];
    const from = caughtUp.updatedAt;
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        readings.push(g.lagSeconds, ...g.partitions.map((p) => p.lagSeconds));
        return g.history.filter((h) => h.at > from).length >= 8 ? g : undefined;
      },
      { description: 'eight more polls of the idle topic', timeoutMs: 30_000, intervalMs: 200 },
    );
    const idle = await groupOf(url, group);
    expect(idle.lag).toBe(0);
    expect(idle.status).toBe('OK');
    expect(readings.length).toBeGreaterThan(5);
    expect(readings.every((s) => s === 0)).toBe(true);
    expect(idle.history.filter((h) => h.at >= from).every((h) => h.lagSeconds === 0)).toBe(true);
  });

  it('reads a group the broker does not know as ERR, and 404s a group it does not watch', async () => {
    const group = uniqueName('sync-never');
    const { url } = await startConsole({ tax: group });
    const missing = await waitFor(
      async () => {
        const g = await json<GroupView>(`${url}/api/groups/${group}`);
        return g.status === 200 ? g.body : undefined;
      },
      { description: 'the first poll', intervalMs: 100 },
    );
    expect(missing.status).toBe('ERR');
    expect(missing.reason).toMatch(/not known to the broker/);
    const unknown = await json<{ error: { code: string } }>(`${url}/api/groups/not-watched`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('GROUP_NOT_WATCHED');
  });
});
