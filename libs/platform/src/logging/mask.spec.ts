import { describe, expect, it } from 'vitest';
import { maskDeep, maskPersonalId, maskPersonalIdsInText } from './mask';

describe('maskPersonalId', () => {
  it('keeps the province prefix and last two digits only', () => {
    expect(maskPersonalId('001203012345')).toBe('001*******45');
  });
  it('masks short values entirely', () => {
    expect(maskPersonalId('1234')).toBe('****');
  });
});

describe('maskPersonalIdsInText', () => {
  it('masks every 12-digit run in a URL, and nothing shorter or longer', () => {
    expect(maskPersonalIdsInText('/citizens/001203012345/history?spouse=079305001122')).toBe(
      '/citizens/001*******45/history?spouse=079*******22',
    );
    expect(maskPersonalIdsInText('/orders/12345678901 and 1234567890123')).toBe(
      '/orders/12345678901 and 1234567890123',
    );
  });
});

describe('maskDeep', () => {
  it('masks IDs, names, dates and addresses at any depth, in arrays too', () => {
    const masked = maskDeep({
      batch: [
        {
          event: {
            personalId: '079201012345',
            successorId: '079201099999',
            childIds: ['001300003333'],
            fullName: 'Lê Văn Minh',
            dateOfBirth: '2001-05-20',
            dateOfDeath: '2026-06-01',
            permanentResidence: { communeCode: '26740', addressLine: '10 Lý Tự Trọng' },
            note: 'father 079075001111 moved',
            version: 3,
          },
        },
      ],
    });
    expect(masked).toEqual({
      batch: [
        {
          event: {
            personalId: '079*******45',
            successorId: '079*******99',
            childIds: ['001*******33'],
            fullName: '[redacted]',
            dateOfBirth: '[redacted]',
            dateOfDeath: '[redacted]',
            permanentResidence: '[redacted]',
            note: 'father 079*******11 moved',
            version: 3,
          },
        },
      ],
    });
  });

  it("drops a PostgreSQL error's detail and masks its message, through causes", () => {
    const pgError = Object.assign(new Error('duplicate key value violates "citizens_pkey"'), {
      code: '23505',
      detail: 'Key (personal_id)=(079201012345) already exists.',
    });
    const wrapper = new Error('insert failed for 079201012345', { cause: pgError });
    const masked = maskDeep({ err: wrapper }) as { err: { message: string; cause: unknown } };
    expect(masked.err.message).toBe('insert failed for 079*******45');
    expect(masked.err.cause).toMatchObject({ code: '23505', detail: '[redacted]' });
    expect(JSON.stringify(masked)).not.toContain('079201012345');
  });

  it('leaves class instances to their serializers', () => {
    class Request {
      url = '/x';
    }
    const request = new Request();
    expect((maskDeep({ req: request }) as { req: unknown }).req).toBe(request);
  });
});
