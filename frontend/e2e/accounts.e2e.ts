import type { Stack } from '@branchpoint/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowser, screenshot, signIn } from './support/browser';
import { createUser, startFrontendStack } from './support/stack';

// A session in a real browser: the UI runs under the Content-Security-Policy, renews its
// short access token by itself, and is signed out the moment an admin disables the user.

/** The shortest access-token life the control plane accepts: the test outlives one. */
const ACCESS_TOKEN_SECONDS = 30;

describe('A session in the browser', () => {
  let stack: Stack;
  let session: BrowserSession | undefined;
  let page: Page;
  let user: { id: string; username: string; password: string };
  const violations: string[] = [];
  const refreshes: number[] = [];

  beforeAll(async () => {
    stack = await startFrontendStack({ BP_ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_SECONDS) });
    user = await createUser(stack, 'browser-user');
    session = await openBrowser(stack.baseUrl);
    page = session.page;
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('response', (response) => {
      if (response.url().endsWith('/api/v1/auth/refresh')) refreshes.push(response.status());
    });
  });

  afterAll(async () => {
    await session?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('runs under the Content-Security-Policy without one violation', async () => {
    const answer = await page.goto('/');
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signIn(page, user.username, user.password);
    await page.getByRole('button', { name: `User menu of ${user.username}` }).click();
    await page.getByRole('menuitem', { name: 'Your account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await screenshot(page, '40-your-account');
    expect(violations).toEqual([]);
  });

  it('renews the expired access token by itself; the user stays signed in', async () => {
    await page.waitForTimeout((ACCESS_TOKEN_SECONDS + 2) * 1000);
    await page.getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('heading', { name: 'Containers', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: /Usage/ }).first().waitFor();
    expect(refreshes).toContain(200);
    expect(page.url()).not.toContain('sign-in');
  });

  it('signs the user out at once when an admin disables them', async () => {
    // The stack's own admin token has expired too (same short life): sign in afresh.
    const admin = stack.api.as(await stack.api.login('admin', stack.adminPassword));
    await admin.expect(200, 'POST', `/users/${user.id}/disable`);
    // No click needed: the server closes the socket, and the session cannot be renewed.
    await page.waitForURL(/sign-in/, { timeout: 15_000 });
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'disabled' }).waitFor();
    await screenshot(page, '41-disabled-user-signed-out');
  });
});
