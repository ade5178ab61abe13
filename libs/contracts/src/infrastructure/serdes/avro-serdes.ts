import { COMPATIBILITY, type SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avsc from 'avsc';
import {
  BusError,
  ErrorCode,
  RuleViolationError,
  TransientError,
  ValidationError,
} from '@bus/platform';
import { keySubject, SHARED_TOPIC_COMPATIBILITY, valueSubject } from '../../domain/topics';
import {
  decodeWireFormat,
  encodeWireFormat,
  WIRE_HEADER_LENGTH,
} from '../../domain/wire-format/wire-format';
import { type CompatibilityLevel, RegistryHttpClient } from '../registry/registry-http.client';
import { createRegistryClient } from '../registry/registry-auth';

export interface SerializerStartOptions {
  readonly registryUrl: string;
  readonly topic: string;
  /** The writer schema (parsed .avsc). */
  readonly schema: unknown;
  /** The key's schema, registered under `<topic>-key` to document it. Key bytes stay plain UTF-8. */
  readonly keySchema?: unknown;
  /** Set on the subjects before registering; shared topics use FULL_TRANSITIVE. */
  readonly compatibility?: CompatibilityLevel;
}

function encodeFailure(type: avsc.Type, value: unknown, cause: unknown): ValidationError {
  const fields: { path: string; message: string }[] = [];
  type.isValid(value, {
    errorHook: (path, fieldValue, fieldType) => {
      fields.push({
        path: path.join('.'),
        message: `${JSON.stringify(fieldValue) ?? 'undefined'} is not a valid ${fieldType.typeName}`,
      });
    },
  });
  return new ValidationError(
    ErrorCode.AVRO_ENCODE_FAILED,
    `Value does not match ${type.name ?? type.typeName}: ${fields.map((f) => f.path).join(', ') || String(cause)}`,
    { cause, fields },
  );
}

function registryFailure(subject: string, cause: unknown): BusError {
  if (cause instanceof BusError) return cause;
  const status = (cause as { status?: number }).status;
  const message = `Registering ${subject} failed: ${(cause as Error).message}`;
  if (status === 409)
    return new RuleViolationError(ErrorCode.SCHEMA_INCOMPATIBLE, message, { cause });
  if (status === 422) return new ValidationError(ErrorCode.SCHEMA_INVALID, message, { cause });
  return new TransientError(ErrorCode.REGISTRY_UNAVAILABLE, message, { cause });
}

/**
 * Producer side: registers its subjects once at start, then frames every value with the
 * registered id. `serialize` is synchronous, so it fits inside an outbox relay loop.
 */
export class AvroSerializer<T> {
  private constructor(
    readonly subject: string,
    readonly schemaId: number,
    private readonly type: avsc.Type,
  ) {}

  static async start<T>(options: SerializerStartOptions): Promise<AvroSerializer<T>> {
    const level = options.compatibility ?? SHARED_TOPIC_COMPATIBILITY;
    const subject = valueSubject(options.topic);
    const type = avsc.Type.forSchema(options.schema as avsc.Schema);
    const http = new RegistryHttpClient(options.registryUrl);
    const registry = createRegistryClient(options.registryUrl);
    let id: number;
    try {
      // The level is set first so that this very registration is checked under it.
      await http.ensureCompatibility(subject, level);
      ({ id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(options.schema) },
        { subject, compatibility: COMPATIBILITY[level], updateConfig: false },
      ));
      if (options.keySchema !== undefined) {
        await http.ensureCompatibility(keySubject(options.topic), level);
        await http.register(keySubject(options.topic), options.keySchema);
      }
    } catch (cause) {
      throw registryFailure(subject, cause);
    }
    return new AvroSerializer<T>(subject, id, type);
  }

  /** A serializer for a schema already registered under `schemaId` (benchmarks, tests). */
  static registered<T>(subject: string, schemaId: number, schema: unknown): AvroSerializer<T> {
    return new AvroSerializer<T>(subject, schemaId, avsc.Type.forSchema(schema as avsc.Schema));
  }

  /**
   * Where frames are written: the 5-byte header once, then each body after it. One
   * exact-size copy per frame leaves here, where avsc's toBuffer plus a separate header
   * and Buffer.concat allocated three buffers and copied the body twice.
   */
  private scratch: Buffer = Buffer.alloc(0);

  serialize(value: T): Buffer {
    if (this.scratch.length === 0) this.scratch = this.frameBuffer(INITIAL_FRAME_BYTES);
    let end: number;
    try {
      end = this.type.encode(value, this.scratch, WIRE_HEADER_LENGTH);
      if (end < 0) {
        // avsc answers how many bytes were missing: grow once, then it fits.
        this.scratch = this.frameBuffer(2 * (this.scratch.length - end));
        end = this.type.encode(value, this.scratch, WIRE_HEADER_LENGTH);
      }
    } catch (cause) {
      throw encodeFailure(this.type, value, cause);
    }
    const frame = Buffer.allocUnsafe(end);
    this.scratch.copy(frame, 0, 0, end);
    return frame;
  }

  private frameBuffer(bytes: number): Buffer {
    const buffer = Buffer.alloc(bytes);
    encodeWireFormat(this.schemaId, Buffer.alloc(0)).copy(buffer);
    return buffer;
  }
}

/** A CitizenChanged projection is ~300 bytes; the scratch buffer grows if one is larger. */
const INITIAL_FRAME_BYTES = 16 * 1024;

export interface DeserializerOptions {
  readonly registryUrl: string;
  /** The consumer's reader schema (parsed .avsc); writer schemas are fetched by id. */
  readonly readerSchema: unknown;
}

export interface DecodedMessage<T> {
  readonly schemaId: number;
  readonly value: T;
}

/**
 * Consumer side: decodes any writer version the registry knows into the reader schema
 * by Avro schema resolution. Writer schemas and resolvers are cached per schema id.
 */
export class AvroDeserializer<T> {
  private readonly reader: avsc.Type;
  private readonly registry: SchemaRegistry;
  private readonly resolvers = new Map<number, avsc.Resolver>();

  constructor(options: DeserializerOptions) {
    this.reader = avsc.Type.forSchema(options.readerSchema as avsc.Schema);
    this.registry = createRegistryClient(options.registryUrl);
  }

  async deserialize(message: Buffer | null | undefined): Promise<T> {
    return (await this.decode(message)).value;
  }

  /**
   * Errors: `WIRE_FORMAT_INVALID`, `SCHEMA_ID_UNKNOWN`, `SCHEMA_INCOMPATIBLE` and
   * `AVRO_DECODE_FAILED` are permanent (dead-letter the message); `REGISTRY_UNAVAILABLE`
   * is transient (retry).
   */
  async decode(message: Buffer | null | undefined): Promise<DecodedMessage<T>> {
    const { schemaId, payload } = decodeWireFormat(message);
    const resolver = await this.resolverFor(schemaId);
    try {
      return { schemaId, value: this.reader.fromBuffer(payload, resolver) as T };
    } catch (cause) {
      throw new ValidationError(
        ErrorCode.AVRO_DECODE_FAILED,
        `Cannot decode a message written with schema ${schemaId}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  private async resolverFor(schemaId: number): Promise<avsc.Resolver> {
    const cached = this.resolvers.get(schemaId);
    if (cached !== undefined) return cached;
    let writer: avsc.Type;
    try {
      writer = (await this.registry.getSchema(schemaId)) as unknown as avsc.Type;
    } catch (cause) {
      if ((cause as { status?: number }).status === 404) {
        throw new ValidationError(
          ErrorCode.SCHEMA_ID_UNKNOWN,
          `The registry has no schema ${schemaId}`,
          {
            cause,
          },
        );
      }
      throw new TransientError(
        ErrorCode.REGISTRY_UNAVAILABLE,
        `Fetching schema ${schemaId} failed`,
        {
          cause,
        },
      );
    }
    let resolver: avsc.Resolver;
    try {
      resolver = this.reader.createResolver(writer);
    } catch (cause) {
      throw new RuleViolationError(
        ErrorCode.SCHEMA_INCOMPATIBLE,
        `Reader ${this.reader.name ?? ''} cannot read schema ${schemaId}: ${(cause as Error).message}`,
        { cause },
      );
    }
    this.resolvers.set(schemaId, resolver);
    return resolver;
  }
}
