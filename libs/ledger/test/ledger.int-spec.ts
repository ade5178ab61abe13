import { describe, expect, it } from 'vitest';
import { DLT_HEADERS, sharingPolicy, type DeliveryReceipt } from '@bus/contracts';
import {
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  uniqueName,
  waitFor,
} from '@bus/testing';
import type { KafkaMessage } from 'kafkajs';
import { disclosures, startLedger } from './ledger-harness';

const PERSON = '079201012345';
const VERSION = sharingPolicy().document.policyVersion;

const receipt = (eventId: string, recipient: string, appliedAt: string): DeliveryReceipt => ({
  recipient,
  eventId,
  personalId: PERSON,
  eventType: 'NAME_CHANGED',
  fields: ['personalId', 'fullName'],
  policyVersion: VERSION,
  appliedAt,
});

describe('ledger: receipts in, disclosures out', () => {
  it('stores each receipt once across re-sends and months, dead-letters what it cannot read', async () => {
    const topic = await createTestTopic('sync.delivery-receipts', 3);
    const { url, config } = await startLedger(topic);
    const producer = await connectedProducer(undefined, { idempotent: true });
    const sent = [
      receipt('e-1', 'land', '2026-10-31T23:59:59.000Z'),
      receipt('e-1', 'tax', '2026-11-01T00:00:00.000Z'), // same event, another recipient
      receipt('e-2', 'land', '2026-11-02T08:00:00.000Z'),
      receipt('e-3', 'nobody-known', '2026-11-02T09:00:00.000Z'), // no policy text for it
    ];
    const messages = sent.map((r) => ({ key: r.personalId, value: JSON.stringify(r) }));
    await producer.send({
      topic,
      acks: -1,
      // Every receipt twice (a relay that re-sent after a crash), and one that is not JSON.
      messages: [...messages, ...messages, { key: PERSON, value: '{not json' }],
    });

    const read = await waitFor(
      async () => {
        const r = await disclosures(url, PERSON);
        return r.body.disclosures?.length === 4 ? r : false;
      },
      { description: 'four disclosures', timeoutMs: 45_000 },
    );
    expect(read.status).toBe(200);
    expect(read.body.disclosures.map((d) => [d.recipient, d.receivedAt])).toEqual([
      ['land', '2026-10-31T23:59:59.000Z'],
      ['tax', '2026-11-01T00:00:00.000Z'],
      ['land', '2026-11-02T08:00:00.000Z'],
      ['nobody-known', '2026-11-02T09:00:00.000Z'],
    ]);
    const [land] = read.body.disclosures;
    expect(land).toMatchObject({
      recipientName: 'Land administration (land registration offices)',
      eventType: 'NAME_CHANGED',
      fields: ['personalId', 'fullName'],
      policyVersion: VERSION,
    });
    expect(land?.purpose).toMatch(/land-user and owner records/);
    expect(land?.legalBasis).toContain('Land Law No. 31/2024/QH15');
    expect(read.body.disclosures[3]?.purpose).toMatch(/not recorded/);

    // The period is [from, to): November only.
    const november = await disclosures(url, PERSON, '?from=2026-11-01&to=2026-12-01');
    expect(november.body.disclosures.map((d) => d.recipient)).toEqual([
      'tax',
      'land',
      'nobody-known',
    ]);
    // Nobody received anything about another citizen: an empty list, not a 404.
    expect((await disclosures(url, '001300003333')).body.disclosures).toEqual([]);

    const csv = await fetch(`${url}/citizens/${PERSON}/disclosures?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^"2026-10-31T23:59:59.000Z","land","Land administration/);

    const bad = await disclosures(url, PERSON, '?from=2026-12-01&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 'REQUEST_INVALID', fields: [{ path: 'from' }] },
    });

    const dead: KafkaMessage[] = [];
    const consumer = await connectedConsumer(uniqueName('dlt'));
    await consumer.subscribe({ topic: config.deadLetterTopic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void dead.push(message) });
    await waitFor(() => dead.length === 1, { description: 'one dead letter' });
    expect(String(dead[0]?.headers?.[DLT_HEADERS.reason])).toBe('RECEIPT_INVALID');
    expect(String(dead[0]?.value)).toBe('{not json');

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ledger_receipts_ingested_total 4/);
  });
});
