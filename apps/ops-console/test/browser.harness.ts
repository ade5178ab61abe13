import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { oidcIssuer, onCleanup, userPassword, type TestUser } from '@bus/testing';

// Debian's chromium package (apt-get install -y chromium), never a downloaded browser.
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve(__dirname, '../../../test-artifacts');
/** The realm lists this origin among the console client's redirect URIs. */
export const CONSOLE_PORT = 3991;

export async function browser(): Promise<BrowserContext> {
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
  return context;
}

/** Opens the console, lands on the provider's login page, signs in, and comes back. */
export async function signIn(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(url);
  await page.waitForURL((u) => u.href.startsWith(oidcIssuer()), { timeout: 30_000 });
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(userPassword(user));
  await page.locator('#kc-login').click();
  await page.waitForURL((u) => u.href.startsWith(url), { timeout: 30_000 });
  await expect
    .poll(() => page.getByTestId('signed-in').textContent(), { timeout: 15_000 })
    .toContain(user);
}
