import { describe, expect, it } from 'vitest';
import { citizen } from './citizen.fixture';
import { registerDeath, identityCardExpiry } from './citizen-lifecycle.rules';
import { divorce, marry } from './family.rules';
import { reissuePersonalId } from './identity.rules';

const him = citizen({});
const her = citizen({
  personalId: '001192000002',
  gender: 'FEMALE',
  fullName: 'Lê Thị Hoa',
  dateOfBirth: '1992-05-05',
});

describe('family rules', () => {
  it('marries both spouses, each one version up', () => {
    const [a, b] = marry(him, her, '2015-01-01');
    expect(a?.after).toMatchObject({
      maritalStatus: 'MARRIED',
      spouseId: her.personalId,
      version: 2,
    });
    expect(b?.after).toMatchObject({
      maritalStatus: 'MARRIED',
      spouseId: him.personalId,
      version: 2,
    });
  });

  it('refuses a second marriage, under-age marriage and a divorce of strangers', () => {
    const married = citizen({ maritalStatus: 'MARRIED', spouseId: '001192000009' });
    expect(() => marry(married, her, '2015-01-01')).toThrow(
      expect.objectContaining({ code: 'CITIZEN_ALREADY_MARRIED' }),
    );
    expect(() => marry(him, her, '2009-01-01')).toThrow(
      expect.objectContaining({ code: 'UNDER_MARRIAGE_AGE' }),
    );
    expect(() =>
      divorce(
        married,
        citizen({ ...her, maritalStatus: 'MARRIED', spouseId: '001090000003' }),
        '2020-01-01',
        null,
      ),
    ).toThrow(expect.objectContaining({ code: 'CITIZENS_NOT_SPOUSES' }));
  });

  it('refuses a divorce dated before the marriage or before a date of birth (Law on Marriage and Family art. 57)', () => {
    const h = citizen({ maritalStatus: 'MARRIED', spouseId: her.personalId });
    const w = citizen({ ...her, maritalStatus: 'MARRIED', spouseId: him.personalId });
    expect(() => divorce(h, w, '2014-12-31', '2015-01-01')).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATE',
        fields: [expect.objectContaining({ path: 'date' })],
      }),
    );
    expect(() => divorce(h, w, '1991-01-01', null)).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
    expect(divorce(h, w, '2015-01-01', '2015-01-01').map((c) => c.after.maritalStatus)).toEqual([
      'DIVORCED',
      'DIVORCED',
    ]);
  });

  it('widows the spouse on a death, and refuses a death before birth', () => {
    const h = citizen({ maritalStatus: 'MARRIED', spouseId: her.personalId });
    const w = citizen({ ...her, maritalStatus: 'MARRIED', spouseId: him.personalId });
    const changes = registerDeath(h, '2024-01-01', w);
    expect(changes.map((c) => [c.changeType, c.after.personalId])).toEqual([
      ['DEATH_REGISTERED', him.personalId],
      ['WIDOWED', her.personalId],
    ]);
    expect(() => registerDeath(him, '1989-12-31', null)).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
    expect(() => registerDeath(changes[0]!.after, '2024-02-01', null)).toThrow(
      expect.objectContaining({ code: 'CITIZEN_DECEASED' }),
    );
  });
});

describe('identity rules', () => {
  it('cancels the old number, starts the new one at version 1 and repoints the spouse', () => {
    const h = citizen({ maritalStatus: 'MARRIED', spouseId: her.personalId, version: 4 });
    const w = citizen({ ...her, maritalStatus: 'MARRIED', spouseId: him.personalId });
    const [old, created, spouse] = reissuePersonalId(
      h,
      '001091000007',
      { dateOfBirth: '1991-01-01' },
      '2024-01-01',
      { spouse: w, children: [] },
    );
    expect(old?.after).toMatchObject({
      status: 'CANCELLED',
      replacedBy: '001091000007',
      version: 5,
    });
    expect(created?.after).toMatchObject({
      personalId: '001091000007',
      version: 1,
      dateOfBirth: '1991-01-01',
      previousPersonalIds: [him.personalId],
    });
    expect(spouse?.after).toMatchObject({ spouseId: '001091000007', version: 2 });
  });

  it('sets the CCCD expiry at the next renewal age more than two years away', () => {
    expect(identityCardExpiry('2000-03-10', '2016-01-01')).toBe('2025-03-10');
    expect(identityCardExpiry('2000-03-10', '2024-01-01')).toBe('2040-03-10');
    expect(identityCardExpiry('1960-03-10', '2019-01-01')).toBeNull();
  });
});
