import { describe, expect, it } from 'vitest';
import { citizen } from './citizen.fixture';
import { correctRecord } from './citizen-lifecycle.rules';
import { mergeDuplicate, reissuePersonalId, requireReissueNeeded } from './identity.rules';

const survivor = citizen({ personalId: '001090000010', version: 3 });
const retired = citizen({ personalId: '001090000011', version: 2 });
const wife = citizen({
  personalId: '001192000012',
  gender: 'FEMALE',
  dateOfBirth: '1992-05-05',
  maritalStatus: 'MARRIED',
  spouseId: retired.personalId,
});
const child = citizen({
  personalId: '001220000013',
  dateOfBirth: '2020-02-02',
  fatherId: retired.personalId,
  motherId: wife.personalId,
});

describe('merge rules', () => {
  it('refuses to merge a deceased record', () => {
    const dead = { ...retired, status: 'DECEASED' as const, dateOfDeath: '2020-01-01' };
    expect(() => mergeDuplicate(survivor, dead, '2026-01-01')).toThrow(
      expect.objectContaining({ code: 'CITIZEN_DECEASED' }),
    );
    const deadSurvivor = { ...survivor, status: 'DECEASED' as const, dateOfDeath: '2020-01-01' };
    expect(() => mergeDuplicate(deadSurvivor, retired, '2026-01-01')).toThrow(
      expect.objectContaining({ code: 'CITIZEN_DECEASED' }),
    );
  });

  it("moves the retired record's marriage, spouse link and children's links to the survivor", () => {
    const married = { ...retired, maritalStatus: 'MARRIED' as const, spouseId: wife.personalId };
    const changes = mergeDuplicate(survivor, married, '2026-01-01', {
      spouse: wife,
      children: [child],
    });
    const after = new Map(changes.map((c) => [c.after.personalId, c.after]));
    expect(after.get(survivor.personalId)).toMatchObject({
      maritalStatus: 'MARRIED',
      spouseId: wife.personalId,
    });
    expect(after.get(wife.personalId)).toMatchObject({ spouseId: survivor.personalId });
    expect(after.get(child.personalId)).toMatchObject({
      fatherId: survivor.personalId,
      motherId: wife.personalId,
      version: 2,
    });
  });

  it('refuses a merge of records married to two different people', () => {
    const a = { ...survivor, maritalStatus: 'MARRIED' as const, spouseId: '001192000099' };
    const b = { ...retired, maritalStatus: 'MARRIED' as const, spouseId: wife.personalId };
    expect(() => mergeDuplicate(a, b, '2026-01-01')).toThrow(
      expect.objectContaining({ code: 'MERGE_SPOUSE_CONFLICT' }),
    );
  });
});

describe('reissue rules', () => {
  it("repoints the children's father and mother IDs to the new number", () => {
    const changes = reissuePersonalId(retired, '001091000011', {}, '2026-01-01', {
      spouse: null,
      children: [child],
    });
    expect(changes.find((c) => c.after.personalId === child.personalId)?.after).toMatchObject({
      fatherId: '001091000011',
    });
  });

  it('refuses a reissue whose corrections leave every digit of the number as it is', () => {
    const digits = { provincePrefix: '001', birthYear: 1990, gender: 'MALE' as const };
    expect(() => requireReissueNeeded(digits, digits, retired.personalId)).toThrow(
      expect.objectContaining({ code: 'REISSUE_NOT_NEEDED' }),
    );
    expect(() =>
      requireReissueNeeded(digits, { ...digits, birthYear: 1991 }, retired.personalId),
    ).not.toThrow();
  });
});

describe('correction rules', () => {
  const places = {
    idPrefixProvince: '01',
    provinceOfCommune: (code: string) => (code === '26740' ? '79' : code === '00070' ? '01' : null),
  };

  it('refuses to move the birth registration to a province other than the ID prefix (reissue instead)', () => {
    expect(() =>
      correctRecord(survivor, { birthRegistrationCommuneCode: '26740' }, '2026-01-01', places),
    ).toThrow(
      expect.objectContaining({
        code: 'CORRECTION_NEEDS_REISSUE',
        fields: [expect.objectContaining({ path: 'birthRegistrationCommuneCode' })],
      }),
    );
  });

  it('accepts another commune of the same province', () => {
    const moved = { ...survivor, birthRegistrationCommuneCode: '00004' };
    const change = correctRecord(
      moved,
      { birthRegistrationCommuneCode: '00070' },
      '2026-01-01',
      places,
    );
    expect(change.after.birthRegistrationCommuneCode).toBe('00070');
  });
});
