import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryAuthHeaders, registryCredentialsFromEnv } from '@bus/contracts';
import { testStack, uniqueName } from '@bus/testing';
import { citizenSchema } from './registry-http';

/*
 * The registry through @kafkajs/confluent-schema-registry, the client the bus's
 * services use: it must register, encode in the Confluent wire format and decode
 * with a client that has never seen the schema (so fetches it by id).
 */
let host: string;
beforeAll(() => {
  host = testStack().schemaRegistryUrl;
});

// The Confluent client as a user configures it: `auth` is its basic.auth.user.info.
const client = () => {
  const auth = registryCredentialsFromEnv();
  return new SchemaRegistry(
    { host, ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}) },
    { [SchemaType.AVRO]: {} },
  );
};

describe('@kafkajs/confluent-schema-registry against the registry', () => {
  it('registers, encodes and decodes a round trip', async () => {
    const subject = `${uniqueName('sr_client')}-value`;
    const schema = citizenSchema(subject, [
      { name: 'birthYear', type: 'int' },
      { name: 'note', type: ['null', 'string'], default: null },
    ]);
    const producer = client();
    const { id } = await producer.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject },
    );
    const payload = { personalId: '001203012345', tag: 'A', birthYear: 2003, note: 'xin chào' };
    const encoded = await producer.encode(id, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    const consumer = client();
    expect(await consumer.decode(encoded)).toEqual(payload);
    expect(await consumer.getLatestSchemaId(subject)).toBe(id);
    expect(
      await consumer.getRegistryIdBySchema(subject, {
        type: SchemaType.AVRO,
        schema: JSON.stringify(schema),
      }),
    ).toBe(id);
  });

  it('returns the same id for an identical re-register and keeps the subject level it set', async () => {
    const subject = `${uniqueName('sr_client')}-value`;
    const schema = {
      type: SchemaType.AVRO as const,
      schema: JSON.stringify(citizenSchema(subject)),
    };
    const first = await client().register(schema, { subject, compatibility: COMPATIBILITY.FULL });
    const again = await client().register(schema, { subject, compatibility: COMPATIBILITY.FULL });
    expect(again.id).toBe(first.id);
    const config = await fetch(`${host}/config/${subject}`, {
      headers: registryAuthHeaders(),
    }).then((r) => r.json());
    expect(config).toEqual({ compatibilityLevel: 'FULL' });
  });

  it('surfaces an incompatible schema as an error', async () => {
    const subject = `${uniqueName('sr_client')}-value`;
    await client().register(
      { type: SchemaType.AVRO, schema: JSON.stringify(citizenSchema(subject)) },
      { subject },
    );
    const incompatible = citizenSchema(subject, [{ name: 'required', type: 'string' }]);
    await expect(
      client().register(
        { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
        { subject },
      ),
    ).rejects.toThrow(/incompatible/i);
  });
});
