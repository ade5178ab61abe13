import { describe, expect, it } from 'vitest';
import type { Citizen } from './citizen';
import { registerDeath, identityCardExpiry } from './citizen-lifecycle.rules';
import { divorce, marry } from './family.rules';
import { reissuePersonalId } from './identity.rules';

const citizen = (over: Partial<Citizen>): Citizen => ({
  personalId: '001090000001',
  version: 1,
  status: 'ACTIVE',
  fullName: 'Nguyễn Văn An',
  gender: 'MALE',
  dateOfBirth: '1990-01-01',
  birthRegistrationCommuneCode: '00070',
  hometownCommuneCode: null,
  ethnicity: 'Kinh',
  religion: null,
  nationality: 'VN',
  fatherId: null,
  motherId: null,
  maritalStatus: 'SINGLE',
  spouseId: null,
  permanentResidence: null,
  temporaryResidence: null,
  identityCard: null,
  dateOfDeath: null,
  replacedBy: null,
  previousPersonalIds: [],
  ...over,
});

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
      ),
    ).toThrow(expect.objectContaining({ code: 'CITIZENS_NOT_SPOUSES' }));
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
      w,
      '2024-01-01',
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
