import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { WindowTally } from './checker.ts';
import { SECTORS } from './fleet.ts';
import type { PoisonVerdict } from './faults.ts';

export interface PhaseResult {
  readonly fault: string;
  readonly description: string;
  readonly startedAt: string;
  readonly injectedAt: string;
  readonly liftedAt: string;
  /** Seconds from the fault's end until every change committed before it was applied everywhere; null: not within the settle timeout. */
  readonly recoverySeconds: number | null;
  readonly tally: WindowTally;
  readonly notes: readonly string[];
  readonly poison?: PoisonVerdict;
}

export function printTable(phases: readonly PhaseResult[]): void {
  const header = [
    'fault',
    'events in',
    ...SECTORS.map((s) => `${s} applied/exp`),
    'lost',
    'twice',
    'order',
    'recovery s',
  ];
  const rows = phases.map((p) => [
    p.fault,
    String(p.tally.eventsIn),
    ...SECTORS.map((s) => `${p.tally.sectors[s].applied}/${p.tally.sectors[s].expected}`),
    String(p.tally.lost),
    String(p.tally.twice),
    String(p.tally.outOfOrder),
    p.recoverySeconds === null ? 'n/a' : p.recoverySeconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const p of phases) {
    if (p.poison)
      console.log(
        `chaos: ${p.fault}: ${p.poison.deadLetterTopic ? `dead-lettered to ${p.poison.deadLetterTopic} (reason ${p.poison.reason ?? 'none'}) in ${p.poison.seconds.toFixed(1)}s` : 'NOT dead-lettered'}`,
      );
    for (const note of p.notes) console.log(`chaos: ${p.fault}: ${note}`);
  }
}

export function writeReport(file: string, report: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
