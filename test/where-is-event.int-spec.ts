import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { EventTrailAnswer } from '@bus/lag-monitor';
import { startTracing, type Tracing } from '@bus/platform';
import { waitFor } from '@bus/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, browser, CONSOLE_PORT, signIn } from '../apps/ops-console/test/browser.harness';
import { json, startConsole } from '../apps/ops-console/test/ops-console.harness';
import { startLedger } from '../libs/ledger/test/ledger-harness';
import { registerBirth, startPipeline } from './pipeline';

let tracing: Tracing;
beforeAll(() => {
  tracing = startTracing('where-test', { exporter: new InMemorySpanExporter() });
});
afterAll(() => tracing.shutdown());

describe('ops console: where is this event?', () => {
  it('shows an event committed, published, applied in two sectors, withheld from land and dead-lettered by tthc, with its trace', async () => {
    const p = await startPipeline('population_where');
    const { s } = p;
    // TTHC's database refuses this child's profile: its apply dead-letters the birth.
    await waitFor(
      async () =>
        (await s.pools.tthc.query(`SELECT to_regclass('citizen_profiles') AS t`)).rows[0]?.t !==
        null,
      { description: 'tthc migrated' },
    );
    await s.pools.tthc.query(
      `ALTER TABLE citizen_profiles ADD CONSTRAINT where_test_refuses CHECK (full_name <> 'Trần Thị Lan')`,
    );
    const ledger = await startLedger(s.receiptsTopic);
    const ops = await startConsole(
      Object.fromEntries(Object.entries(s.sectors).map(([sector, c]) => [sector, c.groupId])),
      {
        NATIONAL_POPULATION_DATABASE_URL: p.api.databaseUrl,
        LEDGER_DATABASE_URL: ledger.config.databaseUrl,
        MASTER_TOPIC: s.masterTopic,
        SHARE_ROUTER_GROUP: s.router.groupId,
      },
      // The port the realm accepts as the console's redirect: the browser signs in below.
      CONSOLE_PORT,
    );
    const { personalId, eventId } = await registerBirth(p, ['bhyt', 'tax']);

    let answer: EventTrailAnswer | undefined;
    await waitFor(
      async () => {
        const got = await json<EventTrailAnswer>(`${ops.url}/api/where/${eventId}`);
        answer = got.body;
        const states = got.body.events?.[0]?.sectors.map((h) => h.state);
        return (
          states?.filter((x) => x === 'applied').length === 2 && states.includes('dead-lettered')
        );
      },
      { description: 'the receipts and the dead letter are in', timeoutMs: 45_000 },
    );
    const trail = answer!.events[0]!;
    expect(trail).toMatchObject({
      eventId,
      eventType: 'BIRTH_REGISTERED',
      version: 1,
      personalId: `${personalId.slice(0, 3)}*******${personalId.slice(-2)}`,
      published: { topic: s.masterTopic },
      router: null,
    });
    expect(trail.published?.partition).toEqual(expect.any(Number));
    expect(trail.published?.offset).toBe(0);
    const bySector = Object.fromEntries(trail.sectors.map((h) => [h.sector, h]));
    expect(bySector.bhyt).toMatchObject({ state: 'applied' });
    expect(bySector.tax).toMatchObject({ state: 'applied' });
    expect(bySector.land).toMatchObject({ state: 'withheld' });
    expect(JSON.stringify(bySector.land)).toContain('BIRTH_REGISTERED is not shared');
    expect(bySector.tthc).toMatchObject({ state: 'dead-lettered', reason: 'APPLY_FAILED' });
    expect(trail.trace?.url).toMatch(/^http:\/\/127\.0\.0\.1:9411\/zipkin\/traces\/[\da-f]{32}$/);

    // By personal ID: the citizen's events, masked; no token: 401.
    const byCitizen = await json<EventTrailAnswer>(`${ops.url}/api/where/${personalId}`);
    expect(byCitizen.body.events.map((e) => e.eventId)).toEqual([eventId]);
    expect(JSON.stringify(byCitizen.body)).not.toContain(personalId);
    expect((await json(`${ops.url}/api/where/${eventId}`, {}, null)).status).toBe(401);
    expect((await json(`${ops.url}/api/where/not-an-id`)).status).toBe(400);

    // The same in the console's page (Debian's Chromium), as a viewer.
    const context = await browser();
    const page = context.pages()[0] ?? (await context.newPage());
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await signIn(page, `${ops.url}/#/where/${eventId}`, 'ops-viewer');
    const hop = (sector: string) => page.locator(`[data-testid="hop"][data-sector="${sector}"]`);
    await expect
      .poll(() => hop('tthc').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('dead-lettered');
    expect(await hop('bhyt').getAttribute('data-state')).toBe('applied');
    expect(await hop('tax').getAttribute('data-state')).toBe('applied');
    expect(await hop('land').getAttribute('data-state')).toBe('withheld');
    expect(await hop('land').textContent()).toContain('BIRTH_REGISTERED is not shared');
    expect(await hop('tthc').textContent()).toContain('APPLY_FAILED');
    expect(await page.getByTestId('trace-link').getAttribute('href')).toBe(trail.trace?.url);
    const text = (await page.getByTestId('trail').textContent()) ?? '';
    expect(text).toContain(`${personalId.slice(0, 3)}*******`);
    expect(text).not.toContain(personalId);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ops-console-where.png'), fullPage: true });
    expect(failures).toEqual([]);
  }, 180_000);
});
