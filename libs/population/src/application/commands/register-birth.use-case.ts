import { ConflictError, ErrorCode } from '@bus/platform';
import { z } from 'zod';
import { findCommune, newPersonalId } from '@bus/contracts';
import { registerBirth } from '../../domain/citizen-lifecycle.rules';
import { invalidField } from '../../domain/population.errors';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { idPrefixOfCommune } from '../personal-id-prefix';
import {
  communeCodeField,
  freeTextField,
  genderField,
  nameField,
  nationalityField,
  pastDateField,
  personalIdField,
  residenceField,
} from './citizen-fields.schema';

export const RegisterBirthCommand = z.strictObject({
  child: z.strictObject({
    fullName: nameField,
    gender: genderField,
    dateOfBirth: pastDateField,
    ethnicity: nameField.default('Kinh'),
    religion: nameField.nullable().default(null),
    nationality: nationalityField,
    hometownCommuneCode: communeCodeField.nullable().default(null),
  }),
  fatherId: personalIdField.nullable().default(null),
  motherId: personalIdField.nullable().default(null),
  /** The commune where the birth is registered: its province gives the ID's first 3 digits. */
  registrationCommuneCode: communeCodeField,
  /** Defaults to a parent's permanent residence. */
  permanentResidence: residenceField
    .omit({ since: true })
    .extend({ address: freeTextField(300) })
    .nullable()
    .default(null),
});
export type RegisterBirthCommand = z.input<typeof RegisterBirthCommand>;

/** Registers a birth and assigns a new personal ID number by the rules, never reused. */
export class RegisterBirthUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: RegisterBirthCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(RegisterBirthCommand, input);
    return this.runner.run(
      'register-birth',
      command,
      options,
      async ({ tx, checkJurisdiction }) => {
        checkJurisdiction(command.registrationCommuneCode);
        const parentIds = [command.fatherId, command.motherId].filter(
          (id): id is string => id !== null,
        );
        const parents = await tx.lockCitizens(parentIds);
        for (const [path, id] of [
          ['fatherId', command.fatherId],
          ['motherId', command.motherId],
        ] as const) {
          if (id !== null && !parents.has(id)) {
            throw invalidField(path, ErrorCode.PARENT_INVALID, 'No citizen has this personal ID');
          }
        }
        const spec = {
          provincePrefix: idPrefixOfCommune(
            findCommune(command.registrationCommuneCode)!.provinceCode,
          ),
          birthYear: Number(command.child.dateOfBirth.slice(0, 4)),
          gender: command.child.gender,
        };
        // The generator is pure; the personal_ids primary key is the real guard against reuse.
        let personalId = '';
        for (let attempt = 0; personalId === ''; attempt++) {
          const candidate = newPersonalId(spec, { isTaken: () => false });
          if (await tx.reservePersonalId(candidate)) personalId = candidate;
          else if (attempt > 50) {
            throw new ConflictError(
              ErrorCode.PERSONAL_ID_SPACE_EXHAUSTED,
              `No free personal ID number found after ${attempt + 1} reservations`,
            );
          }
        }
        const change = registerBirth(
          {
            ...command.child,
            personalId,
            birthRegistrationCommuneCode: command.registrationCommuneCode,
            permanentResidence: command.permanentResidence && {
              ...command.permanentResidence,
              since: command.child.dateOfBirth,
              until: null,
            },
          },
          command.fatherId === null ? null : (parents.get(command.fatherId) ?? null),
          command.motherId === null ? null : (parents.get(command.motherId) ?? null),
        );
        return { changes: [change] };
      },
    );
  }
}
