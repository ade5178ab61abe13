import { z } from 'zod';
import { registerDeath } from '../../domain/citizen-lifecycle.rules';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { communeCodeField, pastDateField, personalIdField } from './citizen-fields.schema';

export const RegisterDeathCommand = z.strictObject({
  personalId: personalIdField,
  dateOfDeath: pastDateField,
  placeOfDeathCommuneCode: communeCodeField.optional(),
});
export type RegisterDeathCommand = z.input<typeof RegisterDeathCommand>;

/** Records a death; a married citizen's spouse becomes widowed in the same transaction. */
export class RegisterDeathUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: RegisterDeathCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(RegisterDeathCommand, input);
    return this.runner.run(
      'register-death',
      command,
      options,
      async ({ loadWithSpouse, checkVersion, checkJurisdiction }) => {
        const [citizen, spouse] = await loadWithSpouse(command.personalId);
        // Where the death happened, else where the citizen lived.
        checkJurisdiction(
          command.placeOfDeathCommuneCode ?? citizen.permanentResidence?.communeCode,
        );
        checkVersion(citizen);
        return { changes: registerDeath(citizen, command.dateOfDeath, spouse) };
      },
    );
  }
}
