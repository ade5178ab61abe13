import { ErrorCode, ValidationError } from '@bus/platform/pure';

/**
 * Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id
 * (big-endian int32), then the Avro binary body.
 */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_LENGTH = 5;

export interface WireMessage {
  readonly schemaId: number;
  readonly payload: Buffer;
}

export class WireFormatError extends ValidationError {
  constructor(message: string) {
    super(ErrorCode.WIRE_FORMAT_INVALID, message);
  }
}

export function encodeWireFormat(schemaId: number, payload: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new WireFormatError(`schema id ${schemaId} is not a non-negative int32`);
  }
  const header = Buffer.alloc(WIRE_HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

export function decodeWireFormat(message: Buffer | Uint8Array | null | undefined): WireMessage {
  if (message === null || message === undefined) {
    throw new WireFormatError('message value is empty (tombstone?)');
  }
  const buffer = Buffer.isBuffer(message) ? message : Buffer.from(message);
  if (buffer.length < WIRE_HEADER_LENGTH) {
    throw new WireFormatError(`message is ${buffer.length} bytes, shorter than the 5-byte header`);
  }
  const magic = buffer.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new WireFormatError(`magic byte is ${magic}, expected ${MAGIC_BYTE}`);
  }
  return { schemaId: buffer.readInt32BE(1), payload: buffer.subarray(WIRE_HEADER_LENGTH) };
}
