import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile, at a laptop-sized 1280x800 viewport. */
export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'bp-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['BP_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    baseURL,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(30_000);
  // What went wrong on the page shows up in the test output.
  context.on('page', reportProblems);
  const page = context.pages()[0] ?? (await context.newPage());
  reportProblems(page);
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function reportProblems(page: Page): void {
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  // Errors Angular caught and logged (e.g. in a template) do not surface as page errors.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      console.error(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500)
      console.error(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

/** Saves a full-page screenshot under e2e/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Containers', exact: true }).waitFor();
}

/**
 * The open dialog, once it has taken the focus. Material moves the focus into a dialog when its
 * opening animation ends; text typed before that lands in whatever gets the focus then.
 */
export async function openedDialog(page: Page): Promise<Locator> {
  const dialog = page.getByRole('dialog');
  await dialog.last().waitFor();
  await page.waitForFunction(() => !!document.activeElement?.closest('[role=dialog]'));
  return dialog;
}

/**
 * Waits for the operation labelled `label` to end, from the operations panel: its progress
 * bar, then its success status; a failure alert fails the test with the UI's message.
 */
export async function expectOperationSucceeds(page: Page, success: string | RegExp): Promise<void> {
  const done = page.getByRole('status').filter({ hasText: success });
  // Only the operations panel's alerts: a page part may show a passing read error meanwhile
  // (e.g. Server settings while a restore restarts the servers).
  const failed = page
    .locator('bp-operations-panel')
    .getByRole('alert')
    .filter({ hasText: /failed:/ });
  const winner = await Promise.race([
    done
      .first()
      .waitFor({ timeout: 180_000 })
      .then(() => 'ok' as const),
    failed
      .first()
      .waitFor({ timeout: 180_000 })
      .then(() => 'failed' as const),
  ]).catch(async (error: Error) => {
    // Say what the page showed instead, so a timeout can be understood from the log alone.
    const statuses = await page.getByRole('status').allTextContents();
    throw new Error(`${error.message}\nstatus messages on the page: ${JSON.stringify(statuses)}`);
  });
  if (winner === 'failed')
    throw new Error(`operation failed in the UI: ${await failed.first().textContent()}`);
}

/**
 * Records in the page whether any progress bar (role "progressbar") shows up from now on;
 * the returned function answers. Jobs can be quick, so a one-off look could miss the bar.
 */
export async function watchForProgressBar(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { __bpSawProgress: boolean };
    w.__bpSawProgress = !!document.querySelector('[role=progressbar]');
    new MutationObserver((_records, observer) => {
      if (document.querySelector('[role=progressbar]')) {
        w.__bpSawProgress = true;
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true });
  });
  return () =>
    page.evaluate(() => (window as unknown as { __bpSawProgress: boolean }).__bpSawProgress);
}
