import { setTimeout as sleep } from 'node:timers/promises';
import { COMMUNES } from '@bus/contracts';
import { BusError } from '@bus/platform';
import { ageOn, birthdayAt, vietnamToday } from '../../domain/civil-dates';
import type { PopulationServices } from '../population.runtime';
import {
  ETHNICITIES,
  FAMILY_NAMES,
  Picker,
  RELIGIONS,
  seededRandom,
  STREETS,
} from './vietnamese-names';

export interface SimulationOptions {
  readonly services: PopulationServices;
  /** Citizens to create first, as households (couples with children, and single adults). */
  readonly citizens: number;
  /** Civil-status changes to make after that. */
  readonly changes: number;
  /** Changes per second (0 = as fast as possible). */
  readonly rate: number;
  readonly seed?: number;
  readonly onProgress?: (phase: 'citizens' | 'changes', done: number, total: number) => void;
}

export interface SimulationSummary {
  readonly citizens: number;
  readonly changes: number;
  /** Business conflicts the simulator ran into and skipped (e.g. the spouse died meanwhile). */
  readonly rejected: number;
  readonly byType: Record<string, number>;
  readonly seconds: number;
}

interface Person {
  id: string;
  gender: 'MALE' | 'FEMALE';
  dateOfBirth: string;
  familyName: string;
  communeCode: string;
  alive: boolean;
  spouseId: string | null;
  hasCard: boolean;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * Makes a realistic population and a stream of civil-status changes through the
 * application layer (the same use cases as the HTTP API), so every change goes through
 * validation, the outbox and the relay. Exported for `npm start`'s demo flow.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const started = Date.now();
  const pick = new Picker(seededRandom(options.seed ?? Date.now()));
  const s = options.services;
  const today = vietnamToday();
  const people: Person[] = [];
  const byId = new Map<string, Person>();
  const byType: Record<string, number> = {};
  let rejected = 0;
  const count = (type: string) => (byType[type] = (byType[type] ?? 0) + 1);

  const born = async (
    gender: Person['gender'],
    dateOfBirth: string,
    familyName: string,
    communeCode: string,
    parents?: [Person, Person],
  ) => {
    const result = await s.registerBirth.execute({
      child: {
        fullName: pick.fullName(gender, familyName),
        gender,
        dateOfBirth,
        ethnicity: pick.weighted(ETHNICITIES),
        religion: pick.weighted(RELIGIONS),
      },
      fatherId: parents?.[0].id ?? null,
      motherId: parents?.[1].id ?? null,
      registrationCommuneCode: communeCode,
      permanentResidence: parents
        ? null
        : { communeCode, address: `${pick.int(1, 300)} ${pick.one(STREETS)}` },
    });
    const person: Person = {
      id: result.personalId,
      gender,
      dateOfBirth,
      familyName,
      communeCode,
      alive: true,
      spouseId: null,
      hasCard: false,
    };
    people.push(person);
    byId.set(person.id, person);
    count('BIRTH_REGISTERED');
    return person;
  };
  const randomBirthDate = (fromYear: number, toYear: number) =>
    minDate(
      `${pick.int(fromYear, toYear)}-${String(pick.int(1, 12)).padStart(2, '0')}-${String(pick.int(1, 28)).padStart(2, '0')}`,
      addDays(today, -1),
    );

  const marry = async (husband: Person, wife: Person, date: string) => {
    await s.changeMaritalStatus.execute({
      personalId: husband.id,
      spouseId: wife.id,
      event: 'MARRIAGE',
      date,
    });
    husband.spouseId = wife.id;
    wife.spouseId = husband.id;
    count('MARRIED');
  };

  // Households: couples (most often with children) and some single adults.
  while (people.length < options.citizens) {
    const commune = pick.one(COMMUNES).code;
    const husband = await born(
      'MALE',
      randomBirthDate(1950, 2000),
      pick.weighted(FAMILY_NAMES),
      commune,
    );
    options.onProgress?.('citizens', people.length, options.citizens);
    if (people.length >= options.citizens || pick.chance(0.2)) continue;
    const wife = await born(
      'FEMALE',
      randomBirthDate(
        Number(husband.dateOfBirth.slice(0, 4)),
        Number(husband.dateOfBirth.slice(0, 4)) + 6,
      ),
      pick.weighted(FAMILY_NAMES),
      commune,
    );
    const eligible = [
      birthdayAt(husband.dateOfBirth, 20),
      birthdayAt(wife.dateOfBirth, 18),
    ].sort()[1]!;
    if (eligible >= today) continue;
    const weddingDay = minDate(addDays(eligible, pick.int(0, 3_650)), addDays(today, -1));
    await marry(husband, wife, weddingDay);
    for (let k = pick.int(0, 3); k > 0 && people.length < options.citizens; k--) {
      const childBirth = addDays(weddingDay, pick.int(300, 5_000));
      if (childBirth >= today || ageOn(wife.dateOfBirth, childBirth) > 45) break;
      await born(pick.chance(0.51) ? 'MALE' : 'FEMALE', childBirth, husband.familyName, commune, [
        husband,
        wife,
      ]);
      options.onProgress?.('citizens', people.length, options.citizens);
    }
  }
  options.onProgress?.('citizens', people.length, options.citizens);

  const living = () => people.filter((p) => p.alive);
  const adults = (minAge: number) => living().filter((p) => ageOn(p.dateOfBirth, today) >= minAge);
  const change = async (): Promise<void> => {
    const roll = pick.random();
    const p = pick.one(living());
    if (roll < 0.25) {
      await s.registerResidence.temporary({
        personalId: p.id,
        communeCode: pick.one(COMMUNES).code,
        address: `${pick.int(1, 300)} ${pick.one(STREETS)}`,
        since: addDays(today, -pick.int(0, 365)),
        until: addDays(today, pick.int(30, 730)),
      });
      return void count('TEMPORARY_RESIDENCE_REGISTERED');
    }
    if (roll < 0.4) {
      const commune = pick.one(COMMUNES).code;
      await s.registerResidence.permanent({
        personalId: p.id,
        communeCode: commune,
        address: `${pick.int(1, 300)} ${pick.one(STREETS)}`,
        since: addDays(today, -pick.int(0, 60)),
      });
      p.communeCode = commune;
      return void count('PERMANENT_RESIDENCE_REGISTERED');
    }
    if (roll < 0.55) {
      const holder = adults(14).find((c) => !c.hasCard);
      if (holder === undefined) return change();
      await s.issueIdentityCard.execute({
        personalId: holder.id,
        issuedOn: addDays(today, -pick.int(0, 30)),
      });
      holder.hasCard = true;
      return void count('ID_CARD_ISSUED');
    }
    if (roll < 0.6) {
      await s.changeName.execute({
        personalId: p.id,
        fullName: pick.fullName(p.gender, p.familyName),
      });
      return void count('NAME_CHANGED');
    }
    if (roll < 0.72) {
      const mother = pick.one(
        living().filter(
          (m) => m.gender === 'FEMALE' && m.spouseId !== null && ageOn(m.dateOfBirth, today) <= 45,
        ),
      );
      const father = mother && byId.get(mother.spouseId ?? '');
      if (!mother || !father?.alive || ageOn(mother.dateOfBirth, today) < 18) return change();
      await born(
        pick.chance(0.51) ? 'MALE' : 'FEMALE',
        addDays(today, -pick.int(1, 60)),
        father.familyName,
        mother.communeCode,
        [father, mother],
      );
      return;
    }
    if (roll < 0.8) {
      const singles = adults(20).filter((c) => c.spouseId === null);
      const man = singles.find((c) => c.gender === 'MALE');
      const woman = singles.find((c) => c.gender === 'FEMALE');
      if (!man || !woman) return change();
      return marry(man, woman, addDays(today, -pick.int(0, 30)));
    }
    if (roll < 0.84) {
      const spouse = p.spouseId === null ? undefined : byId.get(p.spouseId);
      if (!spouse) return change();
      await s.changeMaritalStatus.execute({
        personalId: p.id,
        spouseId: spouse.id,
        event: 'DIVORCE',
        date: addDays(today, -pick.int(0, 30)),
      });
      p.spouseId = spouse.spouseId = null;
      return void count('DIVORCED');
    }
    if (roll < 0.9) {
      const elder = pick.one(adults(60).length > 0 ? adults(60) : living());
      await s.registerDeath.execute({
        personalId: elder.id,
        dateOfDeath: addDays(today, -pick.int(0, 30)),
      });
      elder.alive = false;
      const widow = elder.spouseId === null ? undefined : byId.get(elder.spouseId);
      if (widow) widow.spouseId = null;
      return void count('DEATH_REGISTERED');
    }
    await s.correctRecord.execute({
      personalId: p.id,
      corrections: { ethnicity: pick.weighted(ETHNICITIES), religion: pick.weighted(RELIGIONS) },
    });
    count('RECORD_CORRECTED');
  };

  const interval = options.rate > 0 ? 1_000 / options.rate : 0;
  const changesStarted = Date.now();
  let changes = 0;
  for (let i = 0; i < options.changes && living().length > 0; i++) {
    try {
      await change();
      changes++;
    } catch (error) {
      // Conflicts are part of civil life (an unchanged name, a correction that changes nothing).
      if (!(error instanceof BusError) || error.kind === 'internal' || error.kind === 'transient')
        throw error;
      rejected++;
    }
    options.onProgress?.('changes', i + 1, options.changes);
    const due = changesStarted + (i + 1) * interval;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  return {
    citizens: people.length,
    changes,
    rejected,
    byType,
    seconds: (Date.now() - started) / 1000,
  };
}
