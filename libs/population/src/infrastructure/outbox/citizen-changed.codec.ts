import avsc from 'avsc';
import { citizenChangedSchema, type CitizenChanged } from '@bus/contracts';
import { ErrorCode, ValidationError } from '@bus/platform';

/**
 * Avro encoding of the master event with the writer schema shipped in this build, without
 * the registry: the write side stores the body in the outbox row, and the relay only adds
 * the Confluent header (magic byte and registered id). The fingerprint tells the relay
 * whether a row's body was written with the schema it registered.
 */
export class CitizenChangedCodec {
  readonly fingerprint: Buffer;
  private readonly type: avsc.Type;

  constructor(schema: unknown = citizenChangedSchema()) {
    this.type = avsc.Type.forSchema(schema as avsc.Schema);
    this.fingerprint = this.type.fingerprint('md5');
  }

  /** A payload that does not fit the schema is refused in the command's transaction. */
  encode(event: CitizenChanged): Buffer {
    try {
      return this.type.toBuffer(event);
    } catch (cause) {
      throw new ValidationError(
        ErrorCode.AVRO_ENCODE_FAILED,
        `Event ${event.eventId} does not match ${this.type.name ?? 'CitizenChanged'}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
}

let shipped: CitizenChangedCodec | undefined;

/** The codec of the latest shipped CitizenChanged schema, built once. */
export function shippedCitizenChangedCodec(): CitizenChangedCodec {
  shipped ??= new CitizenChangedCodec();
  return shipped;
}

/** The 5-byte Confluent header for a registered schema id (magic byte 0, big-endian id). */
export function wireHeader(schemaId: number): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return header;
}
