import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@bus/platform';
import type { CommandContext, CommandRunner } from '../command-runner';
import type { PopulationTransaction } from '../population.ports';
import { RegisterBirthUseCase } from './register-birth.use-case';

/** A runner whose transaction finds every candidate number already taken. */
function runnerWithNoFreeNumber(): { runner: CommandRunner; reservations: () => number } {
  let reservations = 0;
  const tx = {
    lockCitizens: async () => new Map(),
    reservePersonalId: async () => {
      reservations++;
      return false;
    },
  } as unknown as PopulationTransaction;
  const runner = {
    run: (
      _scope: string,
      _request: unknown,
      _options: unknown,
      work: (c: CommandContext) => unknown,
    ) =>
      work({
        tx,
        now: new Date('2026-11-29T00:00:00Z'),
        checkJurisdiction: () => undefined,
      } as unknown as CommandContext),
  } as unknown as CommandRunner;
  return { runner, reservations: () => reservations };
}

describe('RegisterBirthUseCase', () => {
  it('gives up with PERSONAL_ID_SPACE_EXHAUSTED when no number can be reserved', async () => {
    const { runner, reservations } = runnerWithNoFreeNumber();
    const birth = new RegisterBirthUseCase(runner).execute({
      child: { fullName: 'Ngô Văn Tư', gender: 'MALE', dateOfBirth: '2026-01-02' },
      registrationCommuneCode: '00070',
    });
    await expect(birth).rejects.toMatchObject({
      code: ErrorCode.PERSONAL_ID_SPACE_EXHAUSTED,
      kind: 'conflict',
    });
    expect(reservations()).toBeGreaterThan(50);
  });
});
