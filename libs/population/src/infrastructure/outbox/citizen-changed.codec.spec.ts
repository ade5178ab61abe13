import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { citizenChangedSchema, sampleCitizenChanged } from '@bus/contracts';
import {
  CitizenChangedCodec,
  shippedCitizenChangedCodec,
  wireHeader,
} from './citizen-changed.codec';

describe('CitizenChangedCodec (the outbox body the relay only frames)', () => {
  it('writes the bytes the relay would encode from the stored JSON payload', () => {
    const event = sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED');
    const fromJson = avsc.Type.forSchema(citizenChangedSchema() as avsc.Schema).toBuffer(
      JSON.parse(JSON.stringify(event)),
    );
    expect(shippedCitizenChangedCodec().encode(event).equals(fromJson)).toBe(true);
  });

  it('tells schema versions apart by fingerprint, so older rows fall back to the JSON payload', () => {
    const v1 = new CitizenChangedCodec(citizenChangedSchema(1));
    expect(v1.fingerprint.equals(shippedCitizenChangedCodec().fingerprint)).toBe(false);
    expect(
      new CitizenChangedCodec().fingerprint.equals(shippedCitizenChangedCodec().fingerprint),
    ).toBe(true);
  });

  it('refuses an event the schema cannot carry, naming the event', () => {
    const event = {
      ...sampleCitizenChanged('NAME_CHANGED'),
      version: 'seven' as unknown as number,
    };
    expect(() => shippedCitizenChangedCodec().encode(event)).toThrow(
      expect.objectContaining({ code: 'AVRO_ENCODE_FAILED' }),
    );
  });

  it('frames with magic byte 0 and the big-endian schema id', () => {
    expect([...wireHeader(0x01020304)]).toEqual([0, 1, 2, 3, 4]);
  });
});
