import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@bus/platform';
import { z } from 'zod';
import { validatePersonalId } from '@bus/contracts';
import type { Citizen } from '../../domain/citizen';
import { parseInput } from '../parse-input';
import { DEFAULT_SOURCE_AGENCY } from '../command-runner';
import type { Clock, PopulationStore, RecordedChange } from '../population.ports';
import {
  communeCodeOrLegacyField,
  currentOrLegacyCommuneCodeField,
  dateField,
  freeTextField,
  genderField,
  nameField,
  nationalityField,
  pastDateField,
  personalIdField,
} from './citizen-fields.schema';

// Existing records may still name the commune of before 1 July 2025: converted, and the old
// code kept beside the new one (the address line still reads in old-commune terms).
const residence = z
  .strictObject({
    communeCode: communeCodeOrLegacyField,
    address: freeTextField(300),
    since: pastDateField,
    until: dateField.nullable().default(null),
  })
  .transform(({ communeCode, ...rest }) => ({
    communeCode: communeCode.code,
    ...(communeCode.legacyCode === null ? {} : { legacyCommuneCode: communeCode.legacyCode }),
    ...rest,
  }));

export const InitialRecord = z
  .strictObject({
    personalId: personalIdField,
    fullName: nameField,
    gender: genderField,
    dateOfBirth: pastDateField,
    birthRegistrationCommuneCode: currentOrLegacyCommuneCodeField,
    hometownCommuneCode: currentOrLegacyCommuneCodeField.nullable().default(null),
    ethnicity: nameField.default('Kinh'),
    religion: nameField.nullable().default(null),
    nationality: nationalityField,
    fatherId: personalIdField.nullable().default(null),
    motherId: personalIdField.nullable().default(null),
    maritalStatus: z.enum(['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']).default('SINGLE'),
    spouseId: personalIdField.nullable().default(null),
    permanentResidence: residence.nullable().default(null),
    temporaryResidence: residence.nullable().default(null),
    identityCardIssuedOn: pastDateField.nullable().default(null),
    identityCardExpiresOn: dateField.nullable().default(null),
    dateOfDeath: pastDateField.nullable().default(null),
  })
  .superRefine((record, ctx) => {
    // The number must agree with the record: century, gender and year digits.
    const check = validatePersonalId(record.personalId, record);
    if (!check.valid) {
      for (const f of check.failures) {
        ctx.addIssue({
          code: 'custom',
          path: ['personalId'],
          message: f.message,
          params: { code: f.code },
        });
      }
    }
    if (record.dateOfDeath !== null && record.dateOfDeath < record.dateOfBirth) {
      ctx.addIssue({
        code: 'custom',
        path: ['dateOfDeath'],
        message: 'is before the date of birth',
        params: { code: ErrorCode.INVALID_DATE },
      });
    }
    if ((record.maritalStatus === 'MARRIED') !== (record.spouseId !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['spouseId'],
        message: 'is required exactly when MARRIED',
        params: { code: 'SPOUSE_MISMATCH' },
      });
    }
  });
export type InitialRecord = z.input<typeof InitialRecord>;

export const LoadInitialRecordsCommand = z.strictObject({
  records: z.array(InitialRecord).min(1).max(5_000),
});
export type LoadInitialRecordsCommand = z.input<typeof LoadInitialRecordsCommand>;

export interface InitialLoadResult {
  readonly inserted: number;
  /** Numbers that already exist: never overwritten, so a re-run of a load is harmless. */
  readonly skipped: readonly string[];
}

/**
 * Loads existing records (version 1, change type INITIAL_LOAD) in one transaction per
 * batch, each with its outbox row, so sectors receive the initial snapshot through the bus.
 */
export class LoadInitialRecordsUseCase {
  constructor(
    private readonly store: PopulationStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: LoadInitialRecordsCommand): Promise<InitialLoadResult> {
    const { records } = parseInput(LoadInitialRecordsCommand, input);
    const now = this.clock.now();
    const changes: RecordedChange[] = records.map((record) => {
      const { identityCardIssuedOn, identityCardExpiresOn, ...facts } = record;
      const after: Citizen = {
        ...facts,
        version: 1,
        status: facts.dateOfDeath === null ? 'ACTIVE' : 'DECEASED',
        identityCard:
          identityCardIssuedOn === null
            ? null
            : {
                number: facts.personalId,
                issuedOn: identityCardIssuedOn,
                expiresOn: identityCardExpiresOn,
              },
        replacedBy: null,
        previousPersonalIds: [],
      };
      return {
        eventId: randomUUID(),
        recordedAt: now,
        sourceAgency: DEFAULT_SOURCE_AGENCY,
        change: { changeType: 'INITIAL_LOAD', before: null, after, effectiveOn: facts.dateOfBirth },
      };
    });
    const { inserted, skipped } = await this.store.loadCitizens(changes);
    return { inserted: inserted.length, skipped };
  }
}
