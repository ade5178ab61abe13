import { z } from 'zod';
import { currentProvinceOfIdPrefix, findCommune } from '@bus/contracts';
import { correctRecord } from '../../domain/citizen-lifecycle.rules';
import { vietnamToday } from '../../domain/civil-dates';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import {
  currentOrLegacyCommuneCodeField,
  nameField,
  nationalityField,
  pastDateField,
  personalIdField,
  reasonField,
} from './citizen-fields.schema';

/** The fields a correction may touch; name, gender and the ID itself have their own commands. */
export const CORRECTABLE_FIELDS = [
  'dateOfBirth',
  'ethnicity',
  'religion',
  'nationality',
  'hometownCommuneCode',
  'birthRegistrationCommuneCode',
] as const;

export const CorrectRecordCommand = z.strictObject({
  personalId: personalIdField,
  corrections: z
    .strictObject({
      dateOfBirth: pastDateField.optional(),
      ethnicity: nameField.optional(),
      religion: nameField.nullable().optional(),
      nationality: nationalityField.optional(),
      // A correction may quote the old record's pre-2025 commune code: converted.
      hometownCommuneCode: currentOrLegacyCommuneCodeField.nullable().optional(),
      birthRegistrationCommuneCode: currentOrLegacyCommuneCodeField.optional(),
    })
    .refine((fields) => Object.values(fields).some((v) => v !== undefined), {
      message: `name at least one of ${CORRECTABLE_FIELDS.join(', ')}`,
    }),
  reason: reasonField,
});
export type CorrectRecordCommand = z.input<typeof CorrectRecordCommand>;

export class CorrectRecordUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: CorrectRecordCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(CorrectRecordCommand, input);
    return this.runner.run(
      'correct-record',
      command,
      options,
      async ({ load, checkVersion, now }) => {
        const [citizen] = await load(command.personalId);
        checkVersion(citizen!);
        const places = {
          idPrefixProvince:
            currentProvinceOfIdPrefix(citizen!.personalId.slice(0, 3))?.code ?? null,
          provinceOfCommune: (code: string) => findCommune(code)?.provinceCode ?? null,
        };
        return {
          changes: [correctRecord(citizen!, command.corrections, vietnamToday(now), places)],
        };
      },
    );
  }
}
