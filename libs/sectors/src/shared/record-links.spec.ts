import { describe, expect, it } from 'vitest';
import type { Sector } from '@bus/contracts';
import { evolveInsured, retireInsured } from '../bhyt/domain/insured-person';
import { evolveHolder, retireHolder } from '../land/domain/land-holder';
import { evolveTaxpayer, retireTaxpayer } from '../tax/domain/taxpayer';
import { evolveProfile, retireProfile } from '../tthc/domain/citizen-profile';
import {
  interleavings,
  linkScenarios,
  projected,
  replay,
  type PureSector,
} from './reorder.fixture';

const pure = <S>(key: (state: S) => string, rules: Omit<PureSector<S>, 'key'>) =>
  ({ key, ...rules }) as unknown as PureSector<Record<string, unknown>>;

const SECTORS: Record<Sector, PureSector<Record<string, unknown>>> = {
  bhyt: pure((s) => s.personalId, { evolve: evolveInsured, retire: retireInsured }),
  land: pure((s) => s.personalId, { evolve: evolveHolder, retire: retireHolder }),
  tax: pure((s) => s.taxCode, { evolve: evolveTaxpayer, retire: retireTaxpayer }),
  tthc: pure((s) => s.personalId, { evolve: evolveProfile, retire: retireProfile }),
};

const scenarios = linkScenarios();

describe.each(Object.keys(SECTORS) as Sector[])(
  '%s: merges and reissues whatever the arrival order of the two keys',
  (sector) => {
    const rules = SECTORS[sector];

    it.each(['reissue', 'merge'] as const)(
      '%s: every interleaving ends in the same rows',
      (kind) => {
        const { retiredKey, successorKey } = scenarios[kind];
        const orders = interleavings(
          projected(sector, retiredKey),
          projected(sector, successorKey),
        );
        expect(orders.length).toBeGreaterThan(2);
        const [first, ...others] = orders.map((order) => replay(rules, order));
        for (const result of others) expect(result).toEqual(first);
      },
    );

    it("reissue: the successor keeps its own newer data when the old key's link comes last", () => {
      const { retiredKey, successorKey } = scenarios.reissue;
      const states = replay(rules, [
        ...projected(sector, successorKey),
        ...projected(sector, retiredKey),
      ]);
      const successorId = successorKey[0]!.personalId;
      expect(states.get(successorId)).toMatchObject({ fullName: 'Nguyễn Thị An' });
    });

    it('merge: a survivor that died stays dead when the duplicate is retired after', () => {
      const { retiredKey, successorKey } = scenarios.merge;
      const states = replay(rules, [
        ...projected(sector, successorKey),
        ...projected(sector, retiredKey),
      ]);
      const survivor = states.get(successorKey[0]!.personalId)!;
      expect(survivor.status).toBe(sector === 'tax' ? 'CLOSED' : 'DECEASED');
      const retired = states.get(retiredKey[0]!.personalId)!;
      expect(retired[sector === 'tax' ? 'successorTaxCode' : 'successorId']).toBe(
        successorKey[0]!.personalId,
      );
    });
  },
);
