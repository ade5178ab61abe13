export type ContractRule =
  | 'compatibility'
  | 'round-trip'
  | 'policy-withholds-field'
  | 'policy-withholds-event-type'
  | 'projection-out-of-date'
  | 'policy-unknown-field'
  | 'policy-unclassified-field'
  | 'policy-condition-not-nullable'
  | 'policy-sensitive-without-basis'
  | 'registry-level'
  | 'registry-compatibility';

export interface Violation {
  readonly rule: ContractRule;
  readonly subject: string;
  /** The field the violation is about, when there is one. */
  readonly field?: string;
  readonly message: string;
}

export interface CheckResult {
  readonly name: string;
  readonly violations: readonly Violation[];
  readonly notes: readonly string[];
}

export function check(
  name: string,
  violations: Violation[] = [],
  notes: string[] = [],
): CheckResult {
  return { name, violations, notes };
}

/** Runs a check; a check that crashes (e.g. on a broken schema) is reported, not thrown. */
export function safely(name: string, subject: string, run: () => CheckResult[]): CheckResult[] {
  try {
    return run();
  } catch (error) {
    return [
      check(name, [
        {
          rule: 'round-trip',
          subject,
          message: `the check could not run: ${(error as Error).message}`,
        },
      ]),
    ];
  }
}

/** Plain-text report: one line per check, the violations under it, and a summary. */
export function formatReport(title: string, results: readonly CheckResult[]): string {
  const lines = [title, ''];
  for (const result of results) {
    lines.push(`${result.violations.length === 0 ? 'PASS' : 'FAIL'}  ${result.name}`);
    for (const v of result.violations) {
      const field = v.field === undefined ? '' : ` field '${v.field}':`;
      lines.push(`      [${v.rule}] ${v.subject}:${field} ${v.message}`);
    }
    for (const note of result.notes) lines.push(`      note: ${note}`);
  }
  const failed = results.filter((r) => r.violations.length > 0).length;
  const violations = results.reduce((n, r) => n + r.violations.length, 0);
  lines.push(
    '',
    violations === 0
      ? `OK: ${results.length} checks passed`
      : `FAILED: ${violations} violation(s) in ${failed} of ${results.length} checks`,
  );
  return lines.join('\n');
}
