import { describe, expect, it } from 'vitest';
import { parseSectorSyncOptions, type SectorSyncOptionsInput } from './sector-sync.options';

const valid: SectorSyncOptionsInput = {
  groupId: 'bus.sync-bhyt',
  topic: 'share.bhyt.citizen-changed',
  brokers: ['127.0.0.1:9092'],
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/bus_bhyt',
  decode: () => ({ key: 'k', version: 1, eventId: 'e', event: null }),
  apply: async () => undefined,
};

describe('parseSectorSyncOptions', () => {
  it('fills the conventional defaults', () => {
    const options = parseSectorSyncOptions(valid);
    expect(options.deadLetterTopic).toBe('bus.sync-bhyt.dlt');
    expect(options.progressTopic).toBe('ops.sync-progress');
    expect(options.clientId).toBe('bus.sync-bhyt');
    expect(options.receipts).toMatchObject({
      enabled: true,
      recipient: 'bus.sync-bhyt',
      topic: 'sync.delivery-receipts',
      policyVersion: 0,
    });
  });

  it('describes a receipt by default with the event type and the fields that hold a value', () => {
    const { describe: facts } = parseSectorSyncOptions(valid).receipts;
    expect(
      facts({ eventType: 'NAME_CHANGED', personalId: '1', fullName: 'A', spouseId: null }),
    ).toEqual({
      eventType: 'NAME_CHANGED',
      fields: ['eventType', 'personalId', 'fullName'],
    });
    expect(facts('opaque')).toEqual({ eventType: 'UNSPECIFIED', fields: [] });
  });

  it('fails at boot with one line per bad field', () => {
    const bad = {
      ...valid,
      brokers: ['no-port'],
      databaseUrl: 'mysql://x',
      apply: 'not a function',
      backoff: { initialMs: 500, maxMs: 100 },
    } as unknown as SectorSyncOptionsInput;
    expect(() => parseSectorSyncOptions(bad)).toThrow(
      /brokers\.0: must be host:port[\s\S]*databaseUrl: must be a postgres:\/\/ URL[\s\S]*apply: apply must be a function/,
    );
  });
});
