import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createRegistryClient } from '@bus/contracts';
import type { DecodedPayload, PayloadDecoder } from '../application/ports';

const HEX_PREVIEW_BYTES = 64;

/**
 * Confluent-framed values (magic byte 0 + schema id) are decoded with their writer
 * schema from the registry; anything else is shown as JSON, text or raw bytes, because
 * a dead letter is often exactly the bytes that could not be decoded.
 */
export class RegistryPayloadDecoder implements PayloadDecoder {
  private readonly registry: SchemaRegistry;

  constructor(registryUrl: string) {
    this.registry = createRegistryClient(registryUrl);
  }

  async decode(value: Buffer | null): Promise<DecodedPayload> {
    if (!value || value.length === 0) return { format: 'empty' };
    if (value.length > 5 && value[0] === 0) {
      const schemaId = value.readInt32BE(1);
      try {
        return { format: 'avro', schemaId, data: toPlain(await this.registry.decode(value)) };
      } catch (error) {
        return binary(value, `schema ${schemaId}: ${(error as Error).message}`);
      }
    }
    const text = value.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(value) && !hasControlBytes(value)) {
      try {
        return { format: 'json', data: JSON.parse(text) as unknown };
      } catch {
        return { format: 'text', text };
      }
    }
    return binary(value);
  }
}

/** C0 control bytes other than tab, newline and carriage return mean "not text". */
function hasControlBytes(value: Buffer): boolean {
  return value.some((byte) => byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
}

function binary(value: Buffer, error?: string): DecodedPayload {
  return {
    format: 'binary',
    length: value.length,
    hex: value.subarray(0, HEX_PREVIEW_BYTES).toString('hex'),
    ...(error ? { error } : {}),
  };
}

/** Avro longs, bytes and logical types into JSON-safe values. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}
