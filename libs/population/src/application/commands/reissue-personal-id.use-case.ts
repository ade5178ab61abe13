import { ConflictError, ErrorCode } from '@bus/platform';
import { z } from 'zod';
import { findCommune, newPersonalId, parsePersonalId } from '@bus/contracts';
import { vietnamToday } from '../../domain/civil-dates';
import { reissuePersonalId, requireReissueNeeded } from '../../domain/identity.rules';
import { parseInput } from '../parse-input';
import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner';
import { idPrefixOfCommune } from '../personal-id-prefix';
import {
  communeCodeField,
  genderField,
  pastDateField,
  personalIdField,
} from './citizen-fields.schema';

export const ReissuePersonalIdCommand = z.strictObject({
  personalId: personalIdField,
  /** What made the old number wrong (Decree 137/2015 art. 13): each is optional. */
  corrections: z
    .strictObject({
      gender: genderField.optional(),
      dateOfBirth: pastDateField.optional(),
      birthRegistrationCommuneCode: communeCodeField.optional(),
    })
    .default({}),
  reason: z.string().trim().min(1).max(500),
});
export type ReissuePersonalIdCommand = z.input<typeof ReissuePersonalIdCommand>;

/** Cancels a number (never reused) and moves the record to a new one built from the corrected facts. */
export class ReissuePersonalIdUseCase {
  constructor(private readonly runner: CommandRunner) {}

  execute(input: ReissuePersonalIdCommand, options: CommandOptions = {}): Promise<CommandResult> {
    const command = parseInput(ReissuePersonalIdCommand, input);
    return this.runner.run(
      'reissue-personal-id',
      command,
      options,
      async ({ loadWithLinks, checkVersion, now, tx }) => {
        const { citizen: old, linked } = await loadWithLinks(command.personalId);
        checkVersion(old);
        const fixes = command.corrections;
        const commune = fixes.birthRegistrationCommuneCode;
        const spec = {
          provincePrefix:
            commune === undefined
              ? parsePersonalId(old.personalId)!.provincePrefix
              : idPrefixOfCommune(findCommune(commune)!.provinceCode),
          birthYear: Number((fixes.dateOfBirth ?? old.dateOfBirth).slice(0, 4)),
          gender: fixes.gender ?? old.gender,
        };
        const current = parsePersonalId(old.personalId)!;
        requireReissueNeeded(
          {
            provincePrefix: current.provincePrefix,
            birthYear: current.birthYear,
            gender: old.gender,
          },
          spec,
          old.personalId,
        );
        let newId = '';
        for (let attempt = 0; newId === ''; attempt++) {
          const candidate = newPersonalId(spec, { isTaken: (id) => id === old.personalId });
          if (await tx.reservePersonalId(candidate)) newId = candidate;
          else if (attempt > 50) {
            throw new ConflictError(
              ErrorCode.PERSONAL_ID_SPACE_EXHAUSTED,
              `No free personal ID number found after ${attempt + 1} reservations`,
            );
          }
        }
        await tx.cancelPersonalId(old.personalId, newId, command.reason);
        const changes = reissuePersonalId(old, newId, fixes, vietnamToday(now), linked);
        return { changes, subject: newId };
      },
    );
  }
}
