import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadLagMonitorConfig, type GroupView } from '@bus/lag-monitor';
import {
  connectedConsumer,
  connectedProducer,
  createTestDatabase,
  createTestTopic,
  onCleanup,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { createOpsConsoleApp } from '../src/ops-console.app';

process.env.LOG_LEVEL ??= 'warn';

// Debian's chromium package (apt-get install -y chromium), never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '../../../test-artifacts');
const SECTORS = ['bhyt', 'land', 'tax', 'tthc'] as const;

describe('ops console in a browser', () => {
  it('shows the four sector groups with their status and opens one', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's browser with "apt-get install -y chromium" (the CI setup must do it too)`,
      );
    }
    const topic = await createTestTopic('browser', 2);
    const groups = Object.fromEntries(SECTORS.map((s) => [s, uniqueName(`sync-${s}`)]));
    const stack = testStack();
    const config = loadLagMonitorConfig({
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      OPS_CONSOLE_DATABASE_URL: await createTestDatabase('ops_browser'),
      LAG_POLL_INTERVAL_MS: '300',
      LAG_GROUP_PREFIXES: uniqueName('nothing'),
      OPS_SECTORS: SECTORS.map((s) => `${s}=${groups[s]}`).join(','),
      SYNC_PROGRESS_TOPIC: uniqueName('progress'),
    });
    const app = await createOpsConsoleApp(config, undefined, { defaultMetrics: false });
    await app.listen(0, '127.0.0.1');
    onCleanup(() => app.close());
    onCleanup(async () => {
      const admin = testKafka().admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [config.progressTopic] }).catch(() => undefined);
      await admin.disconnect();
    });
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    for (const group of Object.values(groups)) {
      const consumer = await connectedConsumer(group);
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
    }
    await waitFor(
      async () => {
        const body = (await (await fetch(`${url}/api/groups`)).json()) as { groups: GroupView[] };
        const ok = body.groups.filter((g) => g.status === 'OK' && g.partitions.length === 2);
        return ok.length === 4 && ok.every((g) => g.lag === 0);
      },
      {
        description: 'the four sector groups to be caught up and OK',
        timeoutMs: 40_000,
        intervalMs: 250,
      },
    );

    const profile = mkdtempSync(join(tmpdir(), 'ops-console-chromium-'));
    onCleanup(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 1000 },
    });
    onCleanup(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    // Offline means offline: the page must not ask anything of another host.
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(url)) foreign.push(request.url());
    });

    await page.goto(url);
    const cards = page.getByTestId('sector-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(4);
    for (const sector of SECTORS) {
      const card = page.locator(`[data-testid="sector-card"][data-sector="${sector}"]`);
      await expect
        .poll(() => card.getByTestId('status').textContent(), { timeout: 15_000 })
        .toBe('OK');
      expect(await card.getAttribute('data-group')).toBe(groups[sector]);
      expect(await card.getByTestId('lag').textContent()).toBe('0');
    }

    await page.locator('[data-testid="sector-card"][data-sector="tax"]').click();
    const title = page.getByTestId('detail-title');
    await title.waitFor({ state: 'visible' });
    expect(await title.textContent()).toContain(groups.tax);
    await expect.poll(() => page.getByTestId('partition-row').count()).toBe(2);
    expect(page.url()).toContain(`#/group/${groups.tax}`);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'ops-console.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
    await page.locator('#dlq-target').selectOption('bhyt');
    await page.locator('#dlq-load').click();
    await expect
      .poll(() => page.locator('#dlq-summary').textContent(), { timeout: 20_000 })
      .toContain(`${groups.bhyt}.dlt: 0 letter(s) held`);
    expect(await page.locator('#dlq-letters').textContent()).toContain('No dead letters.');
    expect(failures).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
