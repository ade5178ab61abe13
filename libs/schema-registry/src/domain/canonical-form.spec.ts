import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { identityForm, parsingCanonicalForm } from './canonical-form';

const schemas: unknown[] = [
  'int',
  { type: 'int' },
  ['null', { type: 'string' }],
  {
    type: 'record',
    name: 'Citizen',
    namespace: 'vn.gov',
    doc: 'a person',
    fields: [
      { name: 'id', type: 'string', doc: 'personal ID' },
      {
        name: 'home',
        type: { type: 'record', name: 'Address', fields: [{ name: 'p', type: 'string' }] },
      },
      { name: 'work', type: 'Address' },
      { name: 'hash', type: { type: 'fixed', name: 'Hash', namespace: 'other', size: 4 } },
      {
        name: 'tags',
        type: { type: 'array', items: { type: 'enum', name: 'Tag', symbols: ['A'] } },
      },
      { name: 'extra', type: { type: 'map', values: 'other.Hash' } },
    ],
  },
];

describe('Parsing Canonical Form', () => {
  it.each(schemas.map((s) => [JSON.stringify(s), s]))('matches avsc for %s', (_, schema) => {
    expect(parsingCanonicalForm(schema)).toBe(
      JSON.stringify(avro.Type.forSchema(schema as avro.Schema).schema()),
    );
  });

  it('ignores docs, whitespace, key order and short-vs-full names', () => {
    const a = { type: 'record', name: 'R', namespace: 'n', fields: [{ name: 'x', type: 'int' }] };
    const b = {
      fields: [{ type: { type: 'int' }, name: 'x', doc: 'd' }],
      name: 'n.R',
      type: 'record',
    };
    expect(identityForm(a)).toBe(identityForm(b));
  });

  it('keeps defaults, aliases, enum defaults and logical types in the identity form', () => {
    const base = (field: Record<string, unknown>) => ({
      type: 'record',
      name: 'R',
      fields: [{ name: 'x', type: 'long', ...field }],
    });
    const plain = identityForm(base({}));
    expect(identityForm(base({ default: 0 }))).not.toBe(plain);
    expect(identityForm(base({ aliases: ['y'] }))).not.toBe(plain);
    expect(
      identityForm(base({ type: { type: 'long', logicalType: 'timestamp-millis' } })),
    ).not.toBe(plain);
    const e = (extra: Record<string, unknown>) => ({
      type: 'enum',
      name: 'E',
      symbols: ['A'],
      ...extra,
    });
    expect(identityForm(e({ default: 'A' }))).not.toBe(identityForm(e({})));
    expect(parsingCanonicalForm(base({ default: 0 }))).toBe(parsingCanonicalForm(base({})));
  });
});
