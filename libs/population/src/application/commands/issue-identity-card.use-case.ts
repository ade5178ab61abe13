import { z } from 'zod';
import { issueIdentityCard } from '../../domain/citizen-lifecycle.rules';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { pastDateField, personalIdField } from './citizen-fields.schema';

export const IssueIdentityCardCommand = z.strictObject({
  personalId: personalIdField,
  issuedOn: pastDateField,
});
export type IssueIdentityCardCommand = z.input<typeof IssueIdentityCardCommand>;

/** Issues a CCCD (citizen identity card); its number is the personal ID, its expiry follows the renewal ages. */
export class IssueIdentityCardUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: IssueIdentityCardCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(IssueIdentityCardCommand, input);
    return this.runner.run(
      'issue-identity-card',
      command,
      options,
      async ({ load, checkVersion, checkJurisdiction }) => {
        const [citizen] = await load(command.personalId);
        checkJurisdiction(citizen!.permanentResidence?.communeCode);
        checkVersion(citizen!);
        return { changes: [issueIdentityCard(citizen!, command.issuedOn)] };
      },
    );
  }
}
