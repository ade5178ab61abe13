import type { z } from 'zod';
import { registerResidence } from '../../domain/citizen-lifecycle.rules';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { dateField, personalIdField, residenceField } from './citizen-fields.schema';

export const RegisterPermanentResidenceCommand = residenceField
  .extend({ personalId: personalIdField })
  .strict();
export type RegisterPermanentResidenceCommand = z.input<typeof RegisterPermanentResidenceCommand>;

export const RegisterTemporaryResidenceCommand = residenceField
  .extend({ personalId: personalIdField, until: dateField.nullable().default(null) })
  .strict();
export type RegisterTemporaryResidenceCommand = z.input<typeof RegisterTemporaryResidenceCommand>;

/** Permanent (thường trú) and temporary (tạm trú) residence registration. */
export class RegisterResidenceUseCase {
  constructor(private readonly runner: CommandRunner) {}

  permanent(
    input: RegisterPermanentResidenceCommand,
    options: CommandOptions = {},
  ): Promise<CommandResult> {
    const { personalId, ...residence } = parseInput(RegisterPermanentResidenceCommand, input);
    return this.runner.run(
      'register-permanent-residence',
      { personalId, ...residence },
      options,
      async ({ load, checkVersion, checkJurisdiction }) => {
        checkJurisdiction(residence.communeCode);
        const [citizen] = await load(personalId);
        checkVersion(citizen!);
        return {
          changes: [registerResidence(citizen!, 'permanent', { ...residence, until: null })],
        };
      },
    );
  }

  temporary(
    input: RegisterTemporaryResidenceCommand,
    options: CommandOptions = {},
  ): Promise<CommandResult> {
    const { personalId, ...residence } = parseInput(RegisterTemporaryResidenceCommand, input);
    return this.runner.run(
      'register-temporary-residence',
      { personalId, ...residence },
      options,
      async ({ load, checkVersion, checkJurisdiction }) => {
        checkJurisdiction(residence.communeCode);
        const [citizen] = await load(personalId);
        checkVersion(citizen!);
        return { changes: [registerResidence(citizen!, 'temporary', residence)] };
      },
    );
  }
}
