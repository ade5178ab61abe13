import { describe, expect, it } from 'vitest';
import { highestVersions, splitByFreshness, type Positioned } from './freshness';

const item = (key: string, version: number, offset: number): Positioned<null> => ({
  envelope: { key, version, eventId: `${key}-${version}`, event: null },
  offset: String(offset),
});

describe('splitByFreshness', () => {
  it('skips versions not newer than the stored one and in-batch duplicates', () => {
    const batch = [
      item('A', 2, 0),
      item('A', 3, 1),
      item('A', 3, 2),
      item('B', 1, 3),
      item('A', 1, 4),
    ];
    const { fresh, stale } = splitByFreshness(batch, new Map([['A', 2]]));
    expect(fresh.map((f) => [f.item.offset, f.previousVersion])).toEqual([
      ['1', 2],
      ['3', null],
    ]);
    expect(stale.map((s) => s.offset)).toEqual(['0', '2', '4']);
  });

  it('keeps version gaps: only order matters, not contiguity', () => {
    const { fresh } = splitByFreshness([item('A', 5, 0), item('A', 9, 1)], new Map());
    expect(fresh).toHaveLength(2);
  });
});

describe('highestVersions', () => {
  it('keeps the maximum per key', () => {
    expect(
      highestVersions([
        { key: 'A', version: 1 },
        { key: 'A', version: 4 },
        { key: 'B', version: 2 },
      ]),
    ).toEqual(
      new Map([
        ['A', 4],
        ['B', 2],
      ]),
    );
  });
});
