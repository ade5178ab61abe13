import { describe, expect, it } from 'vitest';
import { checkChain, whyCannotRead } from './avro-compatibility';

const record = (fields: object[], extra: object = {}) => ({
  type: 'record',
  name: 'R',
  namespace: 'vn.gov.population.events',
  fields,
  ...extra,
});

const v1 = record([
  { name: 'a', type: 'string' },
  { name: 'b', type: 'int' },
]);

describe('whyCannotRead', () => {
  it('accepts identical schemas and an added field with a default', () => {
    expect(whyCannotRead(v1, v1)).toEqual([]);
    const v2 = record([...v1.fields, { name: 'c', type: ['null', 'int'], default: null }]);
    expect(whyCannotRead(v2, v1)).toEqual([]);
    expect(whyCannotRead(v1, v2)).toEqual([]);
  });

  it('names a required field the writer no longer has', () => {
    const withoutB = record([{ name: 'a', type: 'string' }]);
    expect(whyCannotRead(v1, withoutB)).toEqual([
      {
        path: 'b',
        message: "field 'b' is required by the reader (no default) but absent from the writer",
      },
    ]);
  });

  it('allows promotions and rejects other type changes', () => {
    const bLong = record([
      { name: 'a', type: 'string' },
      { name: 'b', type: 'long' },
    ]);
    expect(whyCannotRead(bLong, v1)).toEqual([]);
    expect(whyCannotRead(v1, bLong)).toEqual([
      { path: 'b', message: 'type changed from long to int' },
    ]);
  });

  it('reports enum symbols unknown to the reader, unless the reader has a default', () => {
    const e = (symbols: string[], extra: object = {}) =>
      record([{ name: 'e', type: { type: 'enum', name: 'E', symbols, ...extra } }]);
    expect(whyCannotRead(e(['A']), e(['A', 'B']))).toEqual([
      { path: 'e', message: 'enum symbol(s) B written but unknown to the reader' },
    ]);
    expect(whyCannotRead(e(['A', 'U'], { default: 'U' }), e(['A', 'B']))).toEqual([]);
  });

  it('follows nested records and unions', () => {
    const nested = (fields: object[]) =>
      record([
        {
          name: 'home',
          type: ['null', { type: 'record', name: 'Address', fields }],
          default: null,
        },
      ]);
    const old = nested([{ name: 'province', type: 'string' }]);
    const newer = nested([{ name: 'commune', type: 'string' }]);
    expect(whyCannotRead(newer, old)).toEqual([expect.objectContaining({ path: 'home' })]);
  });
});

describe('checkChain', () => {
  const v2 = record([{ name: 'a', type: 'string' }]);
  const chain = [
    { version: 1, schema: v1 },
    { version: 2, schema: v2 },
  ];

  it('removing a field without a default breaks FORWARD but not BACKWARD', () => {
    expect(checkChain(chain, 'BACKWARD')).toEqual([]);
    expect(checkChain(chain, 'FULL_TRANSITIVE')).toEqual([
      {
        newer: 2,
        older: 1,
        direction: 'forward',
        issues: [expect.objectContaining({ path: 'b' })],
      },
    ]);
  });

  it('transitive levels compare against every older version', () => {
    const v3 = record([
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int', default: 0 },
    ]);
    const three = [...chain, { version: 3, schema: v3 }];
    expect(checkChain(three, 'BACKWARD').map((i) => [i.newer, i.older])).toEqual([]);
    expect(checkChain(three, 'FORWARD_TRANSITIVE').map((i) => [i.newer, i.older])).toEqual([
      [2, 1],
    ]);
    expect(checkChain(three, 'NONE')).toEqual([]);
  });
});
