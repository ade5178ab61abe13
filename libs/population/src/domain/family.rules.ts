import { ErrorCode, RuleViolationError } from '@bus/platform/pure';
import type { Citizen, CitizenChange } from './citizen';
import { ageOn } from './civil-dates';
import { bump, requireActive } from './citizen-lifecycle.rules';
import { conflict, invalidField } from './population.errors';

/** Law on Marriage and Family 2014, art. 8: men from 20, women from 18. */
const MARRIAGE_AGE = { MALE: 20, FEMALE: 18 } as const;

function distinct(a: Citizen, b: Citizen): void {
  if (a.personalId === b.personalId) {
    throw invalidField(
      'spouseId',
      ErrorCode.SAME_CITIZEN,
      'A citizen cannot marry or divorce themself',
    );
  }
}

/** Marriage updates both spouses; the caller writes both changes in one transaction. */
export function marry(a: Citizen, b: Citizen, date: string): CitizenChange[] {
  distinct(a, b);
  requireActive(a);
  requireActive(b);
  for (const person of [a, b]) {
    if (person.maritalStatus === 'MARRIED') {
      throw conflict(
        ErrorCode.CITIZEN_ALREADY_MARRIED,
        'One of the spouses is already married',
        person.personalId,
      );
    }
    if (date < person.dateOfBirth) {
      throw invalidField(
        'date',
        ErrorCode.INVALID_DATE,
        'The marriage date is before a date of birth',
      );
    }
    if (ageOn(person.dateOfBirth, date) < MARRIAGE_AGE[person.gender]) {
      throw new RuleViolationError(
        ErrorCode.UNDER_MARRIAGE_AGE,
        'A spouse is under the legal marriage age',
        {
          details: { personalId: person.personalId },
        },
      );
    }
  }
  // Vietnamese law does not recognise same-sex marriage (art. 8(2)).
  if (a.gender === b.gender) {
    throw new RuleViolationError(
      ErrorCode.SAME_SEX_MARRIAGE,
      'The law does not recognise this marriage',
    );
  }
  return [
    bump(a, { maritalStatus: 'MARRIED', spouseId: b.personalId }, 'MARRIED', date),
    bump(b, { maritalStatus: 'MARRIED', spouseId: a.personalId }, 'MARRIED', date),
  ];
}

/**
 * A divorce ends the marriage on the date the judgment or decision takes effect (Law on
 * Marriage and Family 52/2014/QH13, art. 57(1)); that date follows the marriage and both
 * births. `marriedOn` is the recorded marriage's date, null when the marriage came with
 * an initial load and has no recorded date.
 */
export function divorce(
  a: Citizen,
  b: Citizen,
  date: string,
  marriedOn: string | null,
): CitizenChange[] {
  distinct(a, b);
  requireActive(a);
  requireActive(b);
  for (const person of [a, b]) {
    if (date < person.dateOfBirth) {
      throw invalidField(
        'date',
        ErrorCode.INVALID_DATE,
        'The divorce date is before a date of birth',
      );
    }
  }
  if (marriedOn !== null && date < marriedOn) {
    throw invalidField(
      'date',
      ErrorCode.INVALID_DATE,
      'The divorce date is before the marriage date',
    );
  }
  if (a.maritalStatus !== 'MARRIED' || b.maritalStatus !== 'MARRIED') {
    throw conflict(
      ErrorCode.CITIZEN_NOT_MARRIED,
      'Both citizens must be married to divorce',
      a.personalId,
    );
  }
  if (a.spouseId !== b.personalId || b.spouseId !== a.personalId) {
    throw conflict(
      ErrorCode.CITIZENS_NOT_SPOUSES,
      'The citizens are not married to each other',
      a.personalId,
    );
  }
  return [
    bump(a, { maritalStatus: 'DIVORCED', spouseId: null }, 'DIVORCED', date),
    bump(b, { maritalStatus: 'DIVORCED', spouseId: null }, 'DIVORCED', date),
  ];
}
