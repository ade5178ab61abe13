import { describe, expect, it } from 'vitest';
import { communeCodeField, currentOrLegacyCommuneCodeField } from './citizen-fields.schema';
import { CorrectRecordCommand } from './correct-record.use-case';
import { InitialRecord } from './load-initial-records.use-case';

const issues = (result: { success: boolean; error?: { issues: unknown[] } }) =>
  (result.error?.issues ?? []) as {
    path: (string | number)[];
    message: string;
    params?: { code?: string };
  }[];

const record = (permanentResidence: unknown, birthRegistrationCommuneCode = '00070') => ({
  personalId: '001085012345',
  fullName: 'Ngô Văn Tư',
  gender: 'MALE',
  dateOfBirth: '1985-02-03',
  birthRegistrationCommuneCode,
  permanentResidence,
});

describe('commune codes from before 1 July 2025', () => {
  it('converts an initial load residence and keeps the old code beside the new one', () => {
    // 00001 Phường Phúc Xá became part of Phường Hồng Hà (00097), 1656/NQ-UBTVQH15.
    const parsed = InitialRecord.parse(
      record({ communeCode: '00001', address: '12 Phúc Xá', since: '2010-01-01' }, '00001'),
    );
    expect(parsed.permanentResidence).toEqual({
      communeCode: '00097',
      legacyCommuneCode: '00001',
      address: '12 Phúc Xá',
      since: '2010-01-01',
      until: null,
    });
    expect(parsed.birthRegistrationCommuneCode).toBe('00097');
  });

  it('leaves a current code as it is, with no legacy code', () => {
    const parsed = InitialRecord.parse(
      record({ communeCode: '00004', address: '1 Điện Biên Phủ', since: '2010-01-01' }),
    );
    expect(parsed.permanentResidence).toEqual({
      communeCode: '00004',
      address: '1 Điện Biên Phủ',
      since: '2010-01-01',
      until: null,
    });
  });

  it('refuses an old commune split between new ones, naming the candidates', () => {
    // 00007 Phường Cống Vị was divided between Phường Ngọc Hà and Phường Giảng Võ.
    const result = InitialRecord.safeParse(
      record({ communeCode: '00007', address: '2 Cống Vị', since: '2010-01-01' }),
    );
    expect(issues(result)).toEqual([
      expect.objectContaining({
        path: ['permanentResidence', 'communeCode'],
        params: { code: 'COMMUNE_SPLIT' },
        message: expect.stringMatching(/00008 \(Phường Ngọc Hà\), 00025 \(Phường Giảng Võ\)/),
      }),
    ]);
  });

  it('converts a legacy code in a correction', () => {
    const parsed = CorrectRecordCommand.parse({
      personalId: '001085012345',
      corrections: { hometownCommuneCode: '00001' },
    });
    expect(parsed.corrections.hometownCommuneCode).toBe('00097');
  });

  it('still refuses old codes where only current ones make sense (new registrations)', () => {
    expect(issues(communeCodeField.safeParse('00001'))[0]?.params?.code).toBe('COMMUNE_UNKNOWN');
    expect(issues(currentOrLegacyCommuneCodeField.safeParse('99999'))[0]?.params?.code).toBe(
      'COMMUNE_UNKNOWN',
    );
    expect(issues(currentOrLegacyCommuneCodeField.safeParse('1234'))[0]?.params?.code).toBe(
      'COMMUNE_FORMAT',
    );
  });
});
