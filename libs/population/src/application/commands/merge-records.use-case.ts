import { z } from 'zod';
import { vietnamToday } from '../../domain/civil-dates';
import { mergeDuplicate } from '../../domain/identity.rules';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { personalIdField, reasonField } from './citizen-fields.schema';

export const MergeRecordsCommand = z.strictObject({
  survivorId: personalIdField,
  retiredId: personalIdField,
  reason: reasonField,
});
export type MergeRecordsCommand = z.input<typeof MergeRecordsCommand>;

/** Retires a duplicate record in favour of another; the retired number stays reserved forever. */
export class MergeRecordsUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: MergeRecordsCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(MergeRecordsCommand, input);
    return this.runner.run(
      'merge-records',
      command,
      options,
      async ({ loadWithLinks, checkVersion, now, tx }) => {
        const {
          citizen: retired,
          others,
          linked,
        } = await loadWithLinks(command.retiredId, command.survivorId);
        const survivor = others[0]!;
        checkVersion(survivor);
        const changes = mergeDuplicate(survivor, retired, vietnamToday(now), linked);
        await tx.cancelPersonalId(
          command.retiredId,
          command.survivorId,
          command.reason ?? 'merged duplicate',
        );
        return { changes, subject: command.survivorId };
      },
    );
  }
}
