import { describe, expect, it } from 'vitest';
import { decodeWireFormat, encodeWireFormat } from './wire-format';

describe('Confluent wire format', () => {
  it('frames a payload with magic byte 0 and a big-endian schema id', () => {
    const framed = encodeWireFormat(258, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 0, 0, 1, 2, 0xaa, 0xbb]);
    expect(decodeWireFormat(framed)).toEqual({ schemaId: 258, payload: Buffer.from([0xaa, 0xbb]) });
  });

  it('round-trips the largest int32 id', () => {
    expect(decodeWireFormat(encodeWireFormat(2 ** 31 - 1, Buffer.alloc(0))).schemaId).toBe(
      2 ** 31 - 1,
    );
  });

  it.each([
    [null, /empty/],
    [Buffer.from([0, 0, 0]), /shorter than the 5-byte header/],
    [Buffer.from([1, 0, 0, 0, 1, 9]), /magic byte is 1/],
  ])('rejects %j', (input, message) => {
    expect(() => decodeWireFormat(input)).toThrow(
      expect.objectContaining({
        code: 'WIRE_FORMAT_INVALID',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('rejects an id that does not fit an int32', () => {
    expect(() => encodeWireFormat(-1, Buffer.alloc(0))).toThrow(/int32/);
    expect(() => encodeWireFormat(2 ** 31, Buffer.alloc(0))).toThrow(/int32/);
  });
});
