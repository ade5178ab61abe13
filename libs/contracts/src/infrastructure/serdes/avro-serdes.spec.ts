import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { CITIZEN_EVENT_TYPES } from '../../domain/events/citizen-changed.event';
import { sampleCitizenChanged } from '../../domain/events/citizen-changed.samples';
import type { ProjectedCitizenChanged } from '../../domain/sharing/projection';
import { SECTORS } from '../../domain/topics';
import { decodeWireFormat, encodeWireFormat } from '../../domain/wire-format/wire-format';
import { project, projectionSchema } from '../sharing/shipped-policy';
import { AvroSerializer } from './avro-serdes';

describe('AvroSerializer.serialize', () => {
  it('writes the same bytes as the header then avsc toBuffer, for every sector and event type', () => {
    for (const [i, sector] of SECTORS.entries()) {
      const schema = projectionSchema(sector);
      const serializer = AvroSerializer.registered<ProjectedCitizenChanged>('s', 300 + i, schema);
      const type = avsc.Type.forSchema(schema as avsc.Schema);
      for (const eventType of CITIZEN_EVENT_TYPES) {
        const projected = project(sector, sampleCitizenChanged(eventType));
        if (projected === null) continue;
        const frame = serializer.serialize(projected);
        expect(frame.equals(encodeWireFormat(300 + i, type.toBuffer(projected)))).toBe(true);
        // The sector reads back its projection, withheld fields absent.
        expect(type.fromBuffer(decodeWireFormat(frame).payload)).toEqual(projected);
      }
    }
  });

  it('grows for a large value, and no frame shares bytes with the next one', () => {
    const schema = projectionSchema('tax');
    const type = avsc.Type.forSchema(schema as avsc.Schema);
    const serializer = AvroSerializer.registered<ProjectedCitizenChanged>('s', 7, schema);
    const small = project('tax', sampleCitizenChanged('NAME_CHANGED'))!;
    const first = serializer.serialize(small);
    const copy = Buffer.from(first);
    const large = project(
      'tax',
      sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED', {
        permanentResidence: {
          provinceCode: '01',
          communeCode: '00070',
          addressLine: 'x'.repeat(70_000),
        },
      }),
    )!;
    const big = serializer.serialize(large);
    expect(big.equals(encodeWireFormat(7, type.toBuffer(large)))).toBe(true);
    expect(serializer.serialize(small).equals(copy)).toBe(true);
    expect(first.equals(copy)).toBe(true);
  });

  it('refuses a value that does not match, then goes on framing', () => {
    const serializer = AvroSerializer.registered<ProjectedCitizenChanged>(
      's',
      8,
      projectionSchema('bhyt'),
    );
    const good = project('bhyt', sampleCitizenChanged('NAME_CHANGED'))!;
    expect(() => serializer.serialize({ ...good, version: 'seven' as never })).toThrow(
      expect.objectContaining({ code: 'AVRO_ENCODE_FAILED' }),
    );
    expect(decodeWireFormat(serializer.serialize(good)).schemaId).toBe(8);
  });
});
