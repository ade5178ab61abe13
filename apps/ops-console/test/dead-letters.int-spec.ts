import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { createRegistryClient } from '@bus/contracts';
import { createPool } from '@bus/platform';
import {
  createTopicNamed,
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  onCleanup,
  testStack,
  uniqueName,
  waitFor,
  type TestUser,
} from '@bus/testing';
import { json, startConsole } from './ops-console.harness';

describe('ops console: dead letters', () => {
  const letterHeaders = (topic: string, group: string, reason: string, offset: number) => ({
    'dlt.reason': reason,
    'dlt.message': `could not apply: ${reason}`,
    'dlt.original.topic': topic,
    'dlt.original.partition': '2',
    'dlt.original.offset': String(offset),
    'dlt.consumer.group': group,
    'dlt.failed.at': '2026-07-01T08:00:00.000Z',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });

  it('lists letters masked, replays one to its original topic with an audit row, and never twice', async () => {
    const original = await createTestTopic('dlq-original', 3);
    const group = uniqueName('sync-dlq');
    const dlt = `${group}.dlt`;
    const { url, databaseUrl } = await startConsole({ bhyt: group });
    await createTopicNamed(dlt);
    const citizen = {
      personalId: '001203012345',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '2003-05-17',
      provinceCode: '01',
      version: 4,
    };
    const poison = Buffer.from([0xde, 0xad, 0x01, 0x02, 0xbe, 0xef]);
    const unknownSchema = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 0x02, 0x41]);
    const registry = createRegistryClient(testStack().schemaRegistryUrl);
    const { id: schemaId } = await registry.register(
      {
        type: SchemaType.AVRO,
        schema: JSON.stringify({
          type: 'record',
          name: 'CitizenChanged',
          namespace: 'vn.gov.population.events',
          fields: [
            { name: 'personalId', type: 'string' },
            { name: 'fullName', type: 'string' },
            { name: 'provinceCode', type: 'string' },
          ],
        }),
      },
      { subject: `${uniqueName('dlq')}-value` },
    );
    const avro = await registry.encode(schemaId, {
      personalId: '079305001122',
      fullName: 'Trần Thị Bình',
      provinceCode: '79',
    });
    const producer = await connectedProducer(undefined, { idempotent: true });
    await producer.send({
      topic: dlt,
      acks: -1,
      messages: [
        {
          key: '001203012345',
          value: JSON.stringify(citizen),
          headers: letterHeaders(original, group, 'RULE_VERSION_CONFLICT', 7),
        },
        {
          key: '079305001122',
          value: poison,
          headers: letterHeaders(original, group, 'POISON', 8),
        },
        {
          key: '036099001234',
          value: unknownSchema,
          headers: letterHeaders(original, group, 'SCHEMA_UNKNOWN', 9),
        },
        { key: '079305001122', value: avro, headers: letterHeaders(original, group, 'AVRO', 10) },
      ],
    });

    interface Letter {
      partition: number;
      offset: number;
      key: string;
      reason: string;
      message: string;
      originalTopic: string;
      originalOffset: number;
      payload: {
        format: string;
        data?: Record<string, unknown>;
        hex?: string;
        length?: number;
        error?: string;
      };
      headers: Record<string, string>;
      replays: unknown[];
    }
    const listed = await json<{ group: string; total: number; letters: Letter[] }>(
      `${url}/api/dead-letters/bhyt`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.group).toBe(group);
    expect(listed.body.total).toBe(4);
    const byReason = new Map(listed.body.letters.map((l) => [l.reason, l]));
    const first = byReason.get('RULE_VERSION_CONFLICT');
    expect(first).toMatchObject({
      key: '001*******45',
      originalTopic: original,
      originalOffset: 7,
      message: 'could not apply: RULE_VERSION_CONFLICT',
      headers: { traceparent: expect.any(String) },
      replays: [],
      payload: {
        format: 'json',
        data: {
          personalId: '001*******45',
          fullName: 'N***** V** A*',
          dateOfBirth: '2003-**-**',
          provinceCode: '01',
          version: 4,
        },
      },
    });
    expect(byReason.get('POISON')?.payload).toEqual({
      format: 'binary',
      length: 6,
      hex: 'dead0102beef',
    });
    expect(byReason.get('SCHEMA_UNKNOWN')?.payload).toMatchObject({
      format: 'binary',
      length: 7,
      error: expect.stringMatching(/^schema 2147483632: /),
    });
    expect(byReason.get('AVRO')?.payload).toEqual({
      format: 'avro',
      schemaId,
      data: { personalId: '079*******22', fullName: 'T*** T** B***', provinceCode: '79' },
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/001203012345|079305001122|Bình/);

    const anonymous = await json(`${url}/api/dead-letters/bhyt`, {}, null);
    expect(anonymous.status).toBe(401);
    const viewer = await json<{ error: { code: string } }>(`${url}/api/dead-letters/bhyt?reveal=1`);
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'RIGHT_MISSING']);
    const revealed = await json<{ letters: Letter[] }>(
      `${url}/api/dead-letters/bhyt?reveal=1`,
      {},
      'ops-dpo',
    );
    expect(revealed.body.letters.map((l) => l.key)).toContain('001203012345');

    const received: {
      key: string;
      value: Buffer;
      headers: Record<string, string>;
      partition: number;
    }[] = [];
    const consumer = await connectedConsumer(uniqueName('applied'));
    await consumer.subscribe({ topic: original, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({
          key: String(message.key),
          value: message.value as Buffer,
          partition,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        });
      },
    });

    const post = (path: string, body: unknown, user: TestUser | null) =>
      json<Record<string, unknown>>(
        `${url}/api/dead-letters/bhyt/${path}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
        user,
      );
    const { partition: partitionOf, offset: offsetOf } = first as Letter;
    const letter = { partition: partitionOf, offset: offsetOf };
    expect((await post('replay', letter, null)).status).toBe(401);
    expect((await post('replay', letter, 'ops-viewer')).status).toBe(403);
    expect((await post('replay', letter, 'ops-dpo')).status).toBe(403);
    const missing = await post('replay', { partition: partitionOf, offset: 999 }, 'ops-operator');
    expect(missing.status).toBe(404);
    const replay = await post('replay', letter, 'ops-operator');
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      dltTopic: dlt,
      targetTopic: original,
      targetPartition: 2,
      replayedBy: 'ops-operator',
      keyMasked: '001*******45',
      reason: 'RULE_VERSION_CONFLICT',
    });
    const applied = await waitFor(() => received.find((r) => r.key === '001203012345'), {
      description: 'the replayed letter consumed from its original topic',
    });
    expect(JSON.parse(applied.value.toString('utf8'))).toEqual(citizen);
    expect(applied.partition).toBe(2);
    expect(applied.headers).toMatchObject({
      traceparent: expect.any(String),
      'replay.from': `${dlt}/${partitionOf}/${offsetOf}`,
      'replay.by': 'ops-operator',
    });
    expect(applied.headers['dlt.reason']).toBeUndefined();

    const again = await post('replay', letter, 'ops-operator');
    expect(again.status).toBe(409);
    expect((again.body.error as { code: string }).code).toBe('DEAD_LETTER_ALREADY_REPLAYED');

    const all = await post('replay-all', {}, 'ops-operator');
    expect(all.status).toBe(200);
    expect((all.body.replayed as unknown[]).length).toBe(3);
    expect(all.body.skipped).toEqual([
      expect.objectContaining({ ...letter, code: 'DEAD_LETTER_ALREADY_REPLAYED' }),
    ]);
    await waitFor(() => received.length === 4, {
      description: 'all four letters back on the topic',
    });
    expect(received.map((r) => r.value)).toContainEqual(poison);
    expect(received.map((r) => r.value)).toContainEqual(avro);

    const audit = createPool(databaseUrl, 1);
    onCleanup(() => audit.end());
    const { rows } = await audit.query<{
      replayed_by: string;
      dlt_offset: string;
      replayed_at: Date;
    }>('SELECT replayed_by, dlt_offset, replayed_at FROM dead_letter_replay ORDER BY id');
    expect(rows.map((r) => [r.replayed_by, Number(r.dlt_offset)])).toEqual([
      ['ops-operator', offsetOf],
      ['ops-operator', expect.any(Number)],
      ['ops-operator', expect.any(Number)],
      ['ops-operator', expect.any(Number)],
    ]);
    // The audit trail names the token's user for every reveal and replay, refused ones too.
    const trail = await audit.query<{ username: string; action: string; outcome: string }>(
      `SELECT username, action, outcome FROM audit_trail
        WHERE action IN ('dead-letters.replay', 'dead-letters.replay-all', 'dead-letters.list')
        ORDER BY id`,
    );
    expect(trail.rows).toEqual(
      expect.arrayContaining([
        { username: 'ops-viewer', action: 'dead-letters.list', outcome: 'refused' },
        { username: 'ops-dpo', action: 'dead-letters.list', outcome: 'ok' },
        { username: 'ops-operator', action: 'dead-letters.replay', outcome: 'ok' },
        { username: 'ops-operator', action: 'dead-letters.replay-all', outcome: 'ok' },
      ]),
    );
    const dpo = await json<{ username: string }[]>(
      `${url}/audit?actor=ops-operator`,
      {},
      'ops-dpo',
    );
    expect(dpo.body.length).toBeGreaterThanOrEqual(3);
    expect(dpo.body.every((row) => row.username === 'ops-operator')).toBe(true);
    expect((await json(`${url}/audit`, {}, 'ops-operator')).status).toBe(403);
    expect(rows.every((r) => r.replayed_at instanceof Date)).toBe(true);
    const relisted = await json<{ letters: Letter[] }>(`${url}/api/dead-letters/${group}`);
    expect(relisted.body.letters.every((l) => l.replays.length === 1)).toBe(true);
  });
});
