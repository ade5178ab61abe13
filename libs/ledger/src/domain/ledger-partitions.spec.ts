import { describe, expect, it } from 'vitest';
import { expiredPartitions, monthPartition } from './ledger-partitions';

describe('monthPartition', () => {
  it('covers the UTC month, December rolling over', () => {
    expect(monthPartition(new Date('2026-11-30T23:59:59Z'))).toEqual({
      name: 'disclosures_2026_11',
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(monthPartition(new Date('2026-12-01T00:00:00Z'))).toEqual({
      name: 'disclosures_2026_12',
      from: '2026-12-01',
      to: '2027-01-01',
    });
  });
});

describe('expiredPartitions', () => {
  it('drops only months wholly past the retention, and only ledger partitions', () => {
    const names = ['disclosures_2024_10', 'disclosures_2024_11', 'disclosures_2026_11', 'other'];
    // 24 months kept before November 2026: November 2024 stays, October 2024 goes.
    expect(expiredPartitions(names, new Date('2026-11-29T00:00:00Z'), 24)).toEqual([
      'disclosures_2024_10',
    ]);
  });
});
