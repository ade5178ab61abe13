import { describe, expect, it } from 'vitest';
import { SECTORS } from '@bus/contracts';
import { captureStdoutLogs, waitFor } from '@bus/testing';
import { birthsAndMoves } from './population';
import { sectorStack, startSector, waitForVersion } from './sector-stack';

const level = (line: string) => (JSON.parse(line) as { level?: string }).level;

describe('quiet logs: a demo-sized flow through the router and four sectors', () => {
  it('logs per batch at debug only: fewer than 100 lines at info or above after boot', async () => {
    // Debug too, to count the per-batch lines that used to be at info.
    process.env.LOG_LEVEL = 'debug';
    const s = await sectorStack(3);
    for (const id of SECTORS) await startSector(s, id);
    delete process.env.LOG_LEVEL;
    // After boot: every sector's consumer runs (its /health answers 200).
    await waitFor(
      async () => {
        const answers = await Promise.all(
          SECTORS.map((id) => fetch(`${s.managementUrls[id]}/health`).then((r) => r.ok)),
        );
        return answers.every(Boolean);
      },
      { description: 'four sectors running' },
    );
    const logs = captureStdoutLogs();
    // The demo's 200 changes (100 births, 100 moves), a few at a time as the simulator sends them.
    const events = birthsAndMoves(100, 'quiet');
    for (let i = 0; i < events.length; i += 4) await s.publish(events.slice(i, i + 4));
    const last = events.at(-1)!.personalId;
    // Land is delivered only the citizens it follows (none here): it logs its boot and summaries.
    for (const id of SECTORS.filter((sector) => sector !== 'land'))
      await waitForVersion(s, id, last, 2);
    // Stopping logs each stage's last summary.
    for (const id of SECTORS) await s.apps[id]?.close();

    const lines = logs.lines().filter((line) => line.startsWith('{'));
    const batches = lines.filter((line) => line.includes('"msg":"batch committed"'));
    const loud = lines.filter((line) => !['debug', 'trace'].includes(level(line) ?? ''));
    const byMessage = new Map<string, number>();
    for (const line of loud) {
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      byMessage.set(msg, (byMessage.get(msg) ?? 0) + 1);
    }
    process.stdout.write(
      `log volume: ${loud.length} lines at info or above (${JSON.stringify(Object.fromEntries(byMessage))}), ${batches.length} per-batch lines at debug\n`,
    );
    expect(batches.length).toBeGreaterThan(0);
    expect(byMessage.get('batch committed')).toBeUndefined();
    expect(loud.length).toBeLessThan(100);
    await waitFor(() => loud.some((line) => line.includes('"msg":"stage summary"')), {
      description: 'a stage summary',
      timeoutMs: 1_000,
    });
  }, 120_000);
});
