import { z } from 'zod';
import { divorce, marry } from '../../domain/family.rules';
import { versionConflict } from '../../domain/population.errors';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { pastDateField, personalIdField } from './citizen-fields.schema';

export const ChangeMaritalStatusCommand = z.strictObject({
  personalId: personalIdField,
  spouseId: personalIdField,
  event: z.enum(['MARRIAGE', 'DIVORCE']),
  date: pastDateField,
  /** Optimistic concurrency for the spouse's record (the citizen's goes in CommandOptions). */
  spouseExpectedVersion: z.number().int().positive().optional(),
});
export type ChangeMaritalStatusCommand = z.input<typeof ChangeMaritalStatusCommand>;

/** Marriage and divorce change both spouses' records in one transaction, locked in ID order. */
export class ChangeMaritalStatusUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: ChangeMaritalStatusCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(ChangeMaritalStatusCommand, input);
    return this.runner.run(
      'change-marital-status',
      command,
      options,
      async ({ load, checkVersion, checkJurisdiction, tx }) => {
        const [citizen, spouse] = await load(command.personalId, command.spouseId);
        checkJurisdiction(citizen!.permanentResidence?.communeCode);
        checkVersion(citizen!);
        const expected = command.spouseExpectedVersion;
        if (expected !== undefined && expected !== spouse!.version) {
          throw versionConflict(spouse!.personalId, expected, spouse!.version);
        }
        const changes =
          command.event === 'MARRIAGE'
            ? marry(citizen!, spouse!, command.date)
            : divorce(
                citizen!,
                spouse!,
                command.date,
                await tx.lastChangeOn(citizen!.personalId, 'MARRIED'),
              );
        return { changes, subject: command.personalId };
      },
    );
  }
}
