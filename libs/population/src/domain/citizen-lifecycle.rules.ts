import { ErrorCode, RuleViolationError } from '@bus/platform/pure';
import type { Citizen, CitizenChange, CitizenState, Gender, Residence } from './citizen';
import { ageOn, birthdayAt } from './civil-dates';
import { conflict, invalidField } from './population.errors';

export function bump(
  before: Citizen,
  changes: Partial<CitizenState>,
  changeType: CitizenChange['changeType'],
  effectiveOn: string,
): CitizenChange {
  return {
    changeType,
    before,
    after: { ...before, ...changes, version: before.version + 1 },
    effectiveOn,
  };
}

/** Only ACTIVE records take civil-status changes; the message says why not. */
export function requireActive(citizen: Citizen): void {
  if (citizen.status === 'ACTIVE') return;
  if (citizen.status === 'DECEASED') {
    throw conflict(
      ErrorCode.CITIZEN_DECEASED,
      'The citizen is recorded as deceased',
      citizen.personalId,
    );
  }
  throw conflict(
    ErrorCode.CITIZEN_INACTIVE,
    `The record is ${citizen.status.toLowerCase()}; use ${citizen.replacedBy ?? 'its replacement'}`,
    citizen.personalId,
  );
}

function notBefore(path: string, date: string, citizen: Citizen, what: string): void {
  if (date < citizen.dateOfBirth) {
    throw invalidField(path, ErrorCode.INVALID_DATE, `${what} is before the date of birth`);
  }
}

/** What a birth registration states about the child: part of the citizen's state. */
export type BirthFacts = Pick<
  CitizenState,
  | 'personalId'
  | 'fullName'
  | 'gender'
  | 'dateOfBirth'
  | 'birthRegistrationCommuneCode'
  | 'hometownCommuneCode'
  | 'ethnicity'
  | 'religion'
  | 'nationality'
  | 'permanentResidence'
>;

function checkParent(
  path: string,
  parent: Citizen | null,
  gender: Gender,
  child: BirthFacts,
): void {
  if (parent === null) return;
  if (parent.status === 'MERGED' || parent.status === 'CANCELLED') {
    throw invalidField(
      path,
      ErrorCode.PARENT_INVALID,
      `The parent's record is ${parent.status.toLowerCase()}`,
    );
  }
  if (parent.gender !== gender) {
    throw invalidField(
      path,
      ErrorCode.PARENT_INVALID,
      `The ${path === 'fatherId' ? 'father' : 'mother'} must be ${gender.toLowerCase()}`,
    );
  }
  if (ageOn(parent.dateOfBirth, child.dateOfBirth) < 12) {
    throw invalidField(
      path,
      ErrorCode.PARENT_INVALID,
      'The parent is too young to be a parent of this child',
    );
  }
  // A father may die before the birth (up to ~10 months); a mother may not.
  if (
    parent.dateOfDeath !== null &&
    parent.dateOfDeath < child.dateOfBirth &&
    gender === 'FEMALE'
  ) {
    throw invalidField(path, ErrorCode.PARENT_INVALID, 'The mother died before the date of birth');
  }
}

export function registerBirth(
  child: BirthFacts,
  father: Citizen | null,
  mother: Citizen | null,
): CitizenChange {
  checkParent('fatherId', father, 'MALE', child);
  checkParent('motherId', mother, 'FEMALE', child);
  // A newborn is registered at a parent's permanent residence unless another is given.
  const residence =
    child.permanentResidence ?? mother?.permanentResidence ?? father?.permanentResidence ?? null;
  const after: Citizen = {
    ...child,
    permanentResidence: residence && { ...residence, since: child.dateOfBirth, until: null },
    version: 1,
    status: 'ACTIVE',
    fatherId: father?.personalId ?? null,
    motherId: mother?.personalId ?? null,
    maritalStatus: 'SINGLE',
    spouseId: null,
    temporaryResidence: null,
    identityCard: null,
    dateOfDeath: null,
    replacedBy: null,
    previousPersonalIds: [],
  };
  return { changeType: 'BIRTH_REGISTERED', before: null, after, effectiveOn: child.dateOfBirth };
}

/** A death also widows the spouse, in the same transaction. */
export function registerDeath(
  citizen: Citizen,
  dateOfDeath: string,
  spouse: Citizen | null,
): CitizenChange[] {
  requireActive(citizen);
  notBefore('dateOfDeath', dateOfDeath, citizen, 'The date of death');
  const changes = [
    bump(citizen, { status: 'DECEASED', dateOfDeath }, 'DEATH_REGISTERED', dateOfDeath),
  ];
  if (spouse !== null && spouse.spouseId === citizen.personalId && spouse.status === 'ACTIVE') {
    changes.push(
      bump(spouse, { maritalStatus: 'WIDOWED', spouseId: null }, 'WIDOWED', dateOfDeath),
    );
  }
  return changes;
}

export function changeName(citizen: Citizen, fullName: string, effectiveOn: string): CitizenChange {
  requireActive(citizen);
  notBefore('effectiveOn', effectiveOn, citizen, 'The change date');
  if (fullName === citizen.fullName) {
    throw conflict(ErrorCode.NO_CHANGE, 'The citizen already has this name', citizen.personalId);
  }
  return bump(citizen, { fullName }, 'NAME_CHANGED', effectiveOn);
}

export function registerResidence(
  citizen: Citizen,
  kind: 'permanent' | 'temporary',
  residence: Residence,
): CitizenChange {
  requireActive(citizen);
  notBefore('since', residence.since, citizen, 'The residence start');
  if (kind === 'permanent') {
    return bump(
      citizen,
      { permanentResidence: { ...residence, until: null } },
      'PERMANENT_RESIDENCE_REGISTERED',
      residence.since,
    );
  }
  if (residence.until !== null && residence.until <= residence.since) {
    throw invalidField(
      'until',
      ErrorCode.INVALID_DATE,
      'The end date must be after the start date',
    );
  }
  return bump(
    citizen,
    { temporaryResidence: residence },
    'TEMPORARY_RESIDENCE_REGISTERED',
    residence.since,
  );
}

/** Identity Law 2023: cards are renewed at 14, 25, 40 and 60; one issued within two years of a renewal age lasts to the next. */
const RENEWAL_AGES = [14, 25, 40, 60];

export function identityCardExpiry(dateOfBirth: string, issuedOn: string): string | null {
  for (const age of RENEWAL_AGES) {
    const renewal = birthdayAt(dateOfBirth, age);
    if (renewal > birthdayAt(issuedOn, 2)) return renewal;
  }
  return null;
}

export function issueIdentityCard(citizen: Citizen, issuedOn: string): CitizenChange {
  requireActive(citizen);
  notBefore('issuedOn', issuedOn, citizen, 'The issue date');
  const identityCard = {
    number: citizen.personalId,
    issuedOn,
    expiresOn: identityCardExpiry(citizen.dateOfBirth, issuedOn),
  };
  return bump(citizen, { identityCard }, 'ID_CARD_ISSUED', issuedOn);
}

export type CorrectableFields = Partial<
  Pick<
    CitizenState,
    | 'dateOfBirth'
    | 'ethnicity'
    | 'religion'
    | 'nationality'
    | 'hometownCommuneCode'
    | 'birthRegistrationCommuneCode'
  >
>;

/** Where the birth registration's province is, as far as the catalogue knows. */
export interface BirthPlaceFacts {
  /** The 2025 province the ID number's 3-digit prefix now belongs to; null when unknown. */
  readonly idPrefixProvince: string | null;
  /** The 2025 province of a commune code; null when the catalogue does not know it. */
  readonly provinceOfCommune: (communeCode: string) => string | null;
}

const NO_PLACE_FACTS: BirthPlaceFacts = { idPrefixProvince: null, provinceOfCommune: () => null };

function needsReissue(path: string, message: string, reason: string): RuleViolationError {
  return new RuleViolationError(ErrorCode.CORRECTION_NEEDS_REISSUE, message, {
    fields: [{ path, message: reason, code: ErrorCode.CORRECTION_NEEDS_REISSUE }],
  });
}

/**
 * Corrects listed fields. A corrected birth year or century, or a birth registration
 * moved to a province other than the ID prefix's, changes digits of the personal ID, so
 * that needs a reissue instead (Decree 137/2015/NĐ-CP art. 13: the first three digits are
 * the province of birth registration, then gender/century and year of birth).
 */
export function correctRecord(
  citizen: Citizen,
  fields: CorrectableFields,
  effectiveOn: string,
  places: BirthPlaceFacts = NO_PLACE_FACTS,
): CitizenChange {
  requireActive(citizen);
  const changes = Object.fromEntries(
    Object.entries(fields).filter(
      ([key, value]) => value !== undefined && citizen[key as keyof Citizen] !== value,
    ),
  ) as CorrectableFields;
  if (Object.keys(changes).length === 0) {
    throw conflict(ErrorCode.NO_CHANGE, 'The correction changes nothing', citizen.personalId);
  }
  if (
    changes.dateOfBirth !== undefined &&
    changes.dateOfBirth.slice(0, 4) !== citizen.dateOfBirth.slice(0, 4)
  ) {
    throw needsReissue(
      'dateOfBirth',
      'A different birth year changes the personal ID number: reissue the number instead',
      'the birth year is part of the personal ID',
    );
  }
  const commune = changes.birthRegistrationCommuneCode;
  const province = commune === undefined ? null : places.provinceOfCommune(commune);
  if (
    province !== null &&
    places.idPrefixProvince !== null &&
    province !== places.idPrefixProvince
  ) {
    throw needsReissue(
      'birthRegistrationCommuneCode',
      'A birth registered in another province changes the personal ID prefix: reissue the number instead',
      'the province of birth registration is the personal ID prefix',
    );
  }
  return bump(citizen, changes, 'RECORD_CORRECTED', effectiveOn);
}
