import { describe, expect, it } from 'vitest';
import {
  connectedConsumer,
  connectedProducer,
  createTestPool,
  createTestTopic,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';

describe('smoke: the real stack answers', () => {
  it('round-trips a message through the real broker', async () => {
    const topic = await createTestTopic('smoke', 2);
    const producer = await connectedProducer(undefined, { idempotent: true });
    const consumer = await connectedConsumer(uniqueName('smoke'));
    const received: { key: string; value: string }[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: String(message.key), value: String(message.value) });
      },
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: '001203012345', value: 'hello' },
        { key: '079305001122', value: 'xin chào' },
      ],
    });
    await waitFor(() => received.length === 2, { description: 'both messages consumed' });
    expect(received).toEqual(
      expect.arrayContaining([
        { key: '001203012345', value: 'hello' },
        { key: '079305001122', value: 'xin chào' },
      ]),
    );
  });

  it('queries a fresh database of its own', async () => {
    const { pool, databaseUrl } = await createTestPool('smoke');
    const { rows } = await pool.query<{ db: string; version: string }>(
      'SELECT current_database() AS db, version() AS version',
    );
    expect(databaseUrl.endsWith(`/${rows[0]?.db}`)).toBe(true);
    expect(rows[0]?.version).toMatch(/^PostgreSQL/);
    expect(testStack().kafkaBrokers.length).toBeGreaterThan(0);
  });
});
