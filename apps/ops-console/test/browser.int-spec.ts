import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GroupView } from '@bus/lag-monitor';
import { createPool } from '@bus/platform';
import {
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  createTopicNamed,
  oidcIssuer,
  onCleanup,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { ARTIFACTS, browser, CHROMIUM, CONSOLE_PORT, signIn } from './browser.harness';
import { json, startConsole } from './ops-console.harness';

const SECTORS = ['bhyt', 'land', 'tax', 'tthc'] as const;

process.env.LOG_LEVEL ??= 'warn';

describe('ops console in a browser', () => {
  it('signs in through the provider, shows the sector groups, and replays a letter as operator; a viewer cannot', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's browser with "apt-get install -y chromium" (the CI setup must do it too)`,
      );
    }
    const topic = await createTestTopic('browser', 2);
    const groups = Object.fromEntries(SECTORS.map((s) => [s, uniqueName(`sync-${s}`)]));
    const { url, databaseUrl } = await startConsole(
      groups,
      { LAG_POLL_INTERVAL_MS: '300' },
      CONSOLE_PORT,
    );
    const dlt = await createTopicNamed(`${groups.bhyt}.dlt`);

    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.send({
      topic: dlt,
      acks: -1,
      messages: [
        {
          key: '001203012345',
          value: JSON.stringify({ personalId: '001203012345', version: 2 }),
          headers: {
            'dlt.reason': 'RULE_VERSION_CONFLICT',
            'dlt.message': 'could not apply',
            'dlt.original.topic': topic,
            'dlt.original.partition': '1',
            'dlt.original.offset': '3',
            'dlt.consumer.group': groups.bhyt!,
            'dlt.failed.at': '2026-07-01T08:00:00.000Z',
          },
        },
      ],
    });
    for (const group of Object.values(groups)) {
      const consumer = await connectedConsumer(group);
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
    }
    await waitFor(
      async () => {
        const { body } = await json<{ groups: GroupView[] }>(`${url}/api/groups`);
        const ok = body.groups.filter((g) => g.partitions.length === 2 && g.lag === 0);
        return ok.length === 4;
      },
      { description: 'the four sector groups to be caught up', timeoutMs: 40_000, intervalMs: 250 },
    );

    const operator = await browser();
    const page = operator.pages()[0] ?? (await operator.newPage());
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    // Offline means offline: the page asks nothing of any host but itself and the provider.
    const foreign: string[] = [];
    page.on('request', (request) => {
      const at = request.url();
      if (!at.startsWith(url) && !at.startsWith(new URL(oidcIssuer()).origin)) foreign.push(at);
    });
    page.on('dialog', (dialog) => void dialog.accept());

    await signIn(page, url, 'ops-operator');
    const cards = page.getByTestId('sector-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(4);
    for (const sector of SECTORS) {
      const card = page.locator(`[data-testid="sector-card"][data-sector="${sector}"]`);
      expect(await card.getAttribute('data-group')).toBe(groups[sector]);
    }
    await page.locator('[data-testid="sector-card"][data-sector="tax"]').click();
    await page.getByTestId('detail-title').waitFor({ state: 'visible' });
    expect(await page.getByTestId('detail-title').textContent()).toContain(groups.tax);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'ops-console.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
    await page.locator('#dlq-target').selectOption('bhyt');
    await page.locator('#dlq-load').click();
    await expect
      .poll(() => page.locator('#dlq-summary').textContent(), { timeout: 20_000 })
      .toContain(`${dlt}: 1 letter(s) held`);
    await page.getByTestId('replay').click();
    await expect
      .poll(() => page.getByTestId('letter').textContent(), { timeout: 20_000 })
      .toContain('by ops-operator');
    expect(failures).toEqual([]);
    expect(foreign).toEqual([]);

    const db = createPool(databaseUrl, 1);
    onCleanup(() => db.end());
    const ledger = await db.query('SELECT replayed_by FROM dead_letter_replay');
    expect(ledger.rows).toEqual([{ replayed_by: 'ops-operator' }]);
    const audit = await db.query(
      `SELECT username, subject, action, outcome FROM audit_trail WHERE action = 'dead-letters.replay'`,
    );
    expect(audit.rows).toEqual([
      {
        username: 'ops-operator',
        subject: expect.any(String),
        action: 'dead-letters.replay',
        outcome: 'ok',
      },
    ]);

    // A viewer sees the letter but no replay button, and the API refuses the call itself.
    const viewer = await browser();
    const viewerPage = viewer.pages()[0] ?? (await viewer.newPage());
    await signIn(viewerPage, `${url}/#/dlq/bhyt`, 'ops-viewer');
    await expect.poll(() => viewerPage.getByTestId('letter').count(), { timeout: 20_000 }).toBe(1);
    expect(await viewerPage.getByTestId('replay').count()).toBe(0);
    expect(await viewerPage.locator('#dlq-replay-all').isVisible()).toBe(false);
    const direct = await json(
      `${url}/api/dead-letters/bhyt/replay`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ partition: 0, offset: 0, force: true }),
      },
      'ops-viewer',
    );
    expect(direct.status).toBe(403);
  }, 150_000); // two browser sign-ins through Keycloak; slow on a loaded two-core machine
});
