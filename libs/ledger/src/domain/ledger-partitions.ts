/**
 * The ledger's monthly partitions of `disclosures`, by the month a delivery was applied
 * (UTC): `disclosures_2026_11` holds [2026-11-01, 2026-12-01).
 */
export interface MonthPartition {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function monthPartition(at: Date): MonthPartition {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + 1;
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    name: `disclosures_${year}_${pad(month)}`,
    from: `${year}-${pad(month)}-01`,
    to: `${next.year}-${pad(next.month)}-01`,
  };
}

/**
 * Partitions wholly older than the retention: every row in them was applied more than
 * `retentionMonths` whole months before `now`'s month. Names that are not partitions of
 * the ledger are ignored.
 */
export function expiredPartitions(
  names: readonly string[],
  now: Date,
  retentionMonths: number,
): string[] {
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return names.filter((name) => {
    const match = /^disclosures_(\d{4})_(\d{2})$/.exec(name);
    if (!match) return false;
    const month = Number(match[1]) * 12 + Number(match[2]) - 1;
    return current - month > retentionMonths;
  });
}
