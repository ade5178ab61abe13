import { z } from 'zod';
import { changeName } from '../../domain/citizen-lifecycle.rules';
import { vietnamToday } from '../../domain/civil-dates';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { nameField, pastDateField, personalIdField, reasonField } from './citizen-fields.schema';

export const ChangeNameCommand = z.strictObject({
  personalId: personalIdField,
  fullName: nameField,
  effectiveOn: pastDateField.optional(),
  reason: reasonField,
});
export type ChangeNameCommand = z.input<typeof ChangeNameCommand>;

export class ChangeNameUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: ChangeNameCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(ChangeNameCommand, input);
    return this.runner.run('change-name', command, options, async (context) => {
      const { load, checkVersion, checkJurisdiction, now } = context;
      const [citizen] = await load(command.personalId);
      checkJurisdiction(citizen!.permanentResidence?.communeCode);
      checkVersion(citizen!);
      return {
        changes: [changeName(citizen!, command.fullName, command.effectiveOn ?? vietnamToday(now))],
      };
    });
  }
}
