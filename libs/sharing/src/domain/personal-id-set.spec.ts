import { describe, expect, it } from 'vitest';
import { PersonalIdSet } from './personal-id-set';

const id = (n: number) => String(n).padStart(12, '0');

describe('PersonalIdSet', () => {
  it('adds, finds, deletes and re-adds', () => {
    const set = new PersonalIdSet();
    expect(set.add('079201012345')).toBe(true);
    expect(set.add('079201012345')).toBe(false);
    expect(set.has('079201012345')).toBe(true);
    expect(set.has('079201012346')).toBe(false);
    expect(set.delete('079201012345')).toBe(true);
    expect(set.delete('079201012345')).toBe(false);
    expect(set.has('079201012345')).toBe(false);
    expect(set.add('079201012345')).toBe(true);
    expect(set.size).toBe(1);
  });

  it('keeps the extremes apart (the high bits matter)', () => {
    const set = new PersonalIdSet();
    set.add('999999999999');
    set.add('000000000000');
    expect(set.has('999999999999')).toBe(true);
    expect(set.has('000000000000')).toBe(true);
    // Same low 32 bits as 999999999999, other high bits.
    expect(set.has(id(999_999_999_999 - 4_294_967_296))).toBe(false);
  });

  it('agrees with a plain Set through growth, deletes and re-adds', () => {
    const set = new PersonalIdSet(16);
    const reference = new Set<string>();
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let i = 0; i < 50_000; i++) {
      const value = id(79_000_000_000 + (next() % 40_000));
      if (next() % 3 === 0) expect(set.delete(value)).toBe(reference.delete(value));
      else {
        const fresh = !reference.has(value);
        reference.add(value);
        expect(set.add(value)).toBe(fresh);
      }
    }
    expect(set.size).toBe(reference.size);
    for (let n = 0; n < 40_000; n++) {
      const value = id(79_000_000_000 + n);
      expect(set.has(value)).toBe(reference.has(value));
    }
  });

  it('costs 5 bytes a slot', () => {
    expect(new PersonalIdSet(10_000_000).bytes).toBe(16_777_216 * 5);
  });

  it('refuses what is not 12 digits', () => {
    const set = new PersonalIdSet();
    for (const bad of ['07920101234', '07920101234x', '']) {
      expect(() => set.add(bad)).toThrow(expect.objectContaining({ code: 'PERSONAL_ID_INVALID' }));
    }
  });
});
