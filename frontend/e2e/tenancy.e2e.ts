import {
  type SourceDatabase,
  type Stack,
  createSourceDatabase,
  withClone,
} from '@branchpoint/testing';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  expectOperationSucceeds,
  openBrowser,
  openedDialog,
  screenshot,
  signIn,
  watchForProgressBar,
} from './support/browser';
import { createUser, startFrontendStack } from './support/stack';

// A container is a tenant: from its page the owner changes a server setting, downloads the CA
// that verifies the servers, and rotates the password. Every check connects with node-postgres
// over TLS verified with the CA the browser downloaded.

/** Runs one statement on a clone over TLS verified with `ca`; answers the first column of the first row. */
const first = (connectionString: string, ca: string, sql: string) =>
  withClone(connectionString, ca, async (client) => {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    return Object.values(rows[0] ?? {})[0];
  });

/**
 * A session opened now and kept open until `until` settles; `next` then answers how a query on
 * it went ('still open' or the error), e.g. to see that the server ended it meanwhile. (Wrapped:
 * an async function returning the bare promise would wait for it.)
 */
async function holdSession(connectionString: string, ca: string, until: Promise<void>) {
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  const outcome = withClone(connectionString, ca, async (client) => {
    // The server ends an idle session with an error event; the query below reports it.
    client.on('error', () => undefined);
    await client.query('SELECT 1');
    opened();
    await until;
    return client.query('SELECT 1').then(
      () => 'still open',
      (error: Error) => error.message,
    );
  });
  await Promise.race([ready, outcome]);
  return { next: outcome };
}

describe('A container as a tenant, from its page', () => {
  let stack: Stack;
  let source: SourceDatabase;
  let session: BrowserSession | undefined;
  let page: Page;
  let owner: { username: string; password: string };
  let containerId: string;

  beforeAll(async () => {
    stack = await startFrontendStack();
    source = await createSourceDatabase({
      prefix: 'fe_tenancy',
      setupSql: `CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
        INSERT INTO notes (body) VALUES ('first'), ('second');`,
    });
    const { id: templateId } = await stack.api.operate('POST', '/templates', {
      name: 'notes',
      hostId: stack.hostId,
      sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
    });
    owner = await createUser(stack, 'tenant');
    const api = stack.api.as(await stack.api.login(owner.username, owner.password));
    containerId = (await api.operate('POST', '/containers', { name: 'tenant-box', templateId }))
      .id!;
  });

  afterAll(async () => {
    await session?.close().catch(() => undefined);
    await stack?.stop();
    await source?.drop();
  });

  const connect = () => page.getByRole('region', { name: 'Connect' });
  const connectionString = async () =>
    (await connect()
      .getByLabel('Connection string for app-db', { exact: true })
      .textContent())!.trim();

  it('sets a server setting, downloads the CA that verifies the servers, and rotates the password', async () => {
    session = await openBrowser(stack.baseUrl);
    page = session.page;
    await signIn(page, owner.username, owner.password);
    await page.goto(`/containers/${containerId}`);
    await page.getByRole('heading', { name: 'tenant-box', exact: true }).waitFor();
    const before = await connectionString();
    expect(before).toMatch(/^postgres(ql)?:\/\/.*sslmode=require/);

    // The CA through the button: a PEM certificate that verifies the server (chain and name).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      connect().getByRole('button', { name: 'Download CA certificate' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('branchpoint-ca.pem');
    const ca = readFileSync((await download.path())!, 'utf8');
    expect(ca).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/,
    );
    expect(new X509Certificate(ca).ca).toBe(true);
    expect(await first(before, ca, 'SELECT count(*)::int FROM notes')).toBe(2);

    // A server setting through the panel: listed there, and the server answers it.
    const settings = page.getByRole('region', { name: 'Server settings' });
    await settings.getByLabel('Parameter').fill('work_mem');
    await settings.getByLabel('Value').fill('7MB');
    await settings.getByRole('button', { name: 'Set', exact: true }).click();
    await expectOperationSucceeds(page, 'work_mem set to 7MB');
    await settings.getByRole('listitem').filter({ hasText: 'work_mem = 7MB' }).waitFor();
    await expect.poll(() => first(before, ca, 'SHOW work_mem'), { timeout: 20_000 }).toBe('7MB');
    await screenshot(page, '23-container-server-settings');

    // Rotate: asked first; the open session ends, the old password fails, the page shows the new one.
    let rotated!: () => void;
    const rotation = new Promise<void>((resolve) => (rotated = resolve));
    const oldSession = await holdSession(before, ca, rotation);
    const sawProgress = await watchForProgressBar(page);
    await connect().getByRole('button', { name: 'Rotate password' }).click();
    const dialog = await openedDialog(page);
    expect(await dialog.textContent()).toContain('Existing sessions end');
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    await expectOperationSucceeds(page, 'tenant-box has a new password').finally(rotated);
    expect(await sawProgress()).toBe(true);
    expect(await oldSession.next).not.toBe('still open');
    await expect.poll(connectionString, { timeout: 20_000 }).not.toBe(before);
    const after = await connectionString();
    const api = stack.api.as(await stack.api.login(owner.username, owner.password));
    const { endpoints } = await api.expect<{ endpoints: { connectionString: string }[] }>(
      200,
      'GET',
      `/containers/${containerId}`,
    );
    expect(endpoints[0]?.connectionString).toBe(after);
    await expect(first(before, ca, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    expect(await first(after, ca, 'SHOW work_mem')).toBe('7MB');
    await screenshot(page, '24-container-password-rotated');
  });
});
