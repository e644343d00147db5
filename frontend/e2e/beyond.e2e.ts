import {
  FakeForge,
  type SourceDatabase,
  type Stack,
  cloneCa,
  createSourceDatabase,
  withClient,
  withClone,
} from '@branchpoint/testing';
import { createHmac, randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowser, screenshot, signIn } from './support/browser';
import { createUser, sql, startFrontendStack } from './support/stack';

// Beyond the peers, from the timeline: compare two bookmarks row by row, look at one read-only
// before restoring it, and carry a branch onto the template's newest data; and, as an admin, a
// database per pull request. Set-up goes through the API; every step a user takes goes through
// the browser, and what the pages say is checked against the databases with node-postgres and
// against a fake forge that records the calls.

const BEFORE = 'before the import';
const AFTER = 'after the import';

describe('Compare, preview, rebase and pull-request databases in the browser', () => {
  let stack: Stack;
  let source: SourceDatabase;
  let session: BrowserSession | undefined;
  let page: Page;
  let user: { username: string; password: string };
  let templateId: string;
  let containerId: string;
  let database: string;
  let beforeId: string;
  let forge: FakeForge;

  beforeAll(async () => {
    // The fake forge listens on 127.0.0.2, the one loopback address this stack lets out.
    forge = await FakeForge.start('127.0.0.2');
    stack = await startFrontendStack({ BP_OUTBOUND_ALLOW: '127.0.0.2/32' });
    source = await createSourceDatabase({
      prefix: 'fe_beyond',
      setupSql: `CREATE TABLE employees (id int PRIMARY KEY, name text NOT NULL, department text NOT NULL);
        INSERT INTO employees VALUES (1, 'Ada', 'eng'), (2, 'Grace', 'eng'), (3, 'Linus', 'ops');`,
    });
    templateId = (
      await stack.api.operate('POST', '/templates', {
        name: 'staff',
        hostId: stack.hostId,
        sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
      })
    ).id!;
    user = await createUser(stack, 'analyst');
    const api = stack.api.as(await stack.api.login(user.username, user.password));
    containerId = (await api.operate('POST', '/containers', { name: 'staff-box', templateId })).id!;
    const container = await api.expect<{
      activeBranchId: string;
      endpoints: { connectionString: string }[];
    }>(200, 'GET', `/containers/${containerId}`);
    database = container.endpoints[0]!.connectionString;
    const bookmark = (name: string) =>
      api.operate('POST', `/branches/${container.activeBranchId}/bookmarks`, { name });
    beforeId = (await bookmark(BEFORE)).id!;
    await api.expect(200, 'POST', `/bookmarks/${beforeId}/share`, { everyone: true });
    await sql(database, `UPDATE employees SET department = 'research' WHERE id = 2`);
    await sql(database, `DELETE FROM employees WHERE id = 3`);
    await sql(database, `INSERT INTO employees VALUES (4, 'Margaret', 'eng')`);
    await bookmark(AFTER);
    session = await openBrowser(stack.baseUrl);
    page = session.page;
    await page.goto('/');
    await signIn(page, user.username, user.password);
  });

  afterAll(async () => {
    await session?.close().catch(() => undefined);
    await stack?.stop();
    await source?.drop();
    await forge?.stop();
  });

  const selection = () => page.getByRole('region', { name: 'Selection' });
  /** A table row's cells as the page shows them. */
  const cells = async (row: Locator) =>
    (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
  const flag = (name: string) =>
    page.getByRole('button', { name: new RegExp(`^Bookmark ${name} on default`) });
  const openContainer = async () => {
    await page.goto(`/containers/${containerId}`);
    await flag(AFTER).waitFor();
  };

  it('compares two bookmarks: a line per table that differs, opening on the changed row', async () => {
    await openContainer();
    await flag(BEFORE).click();
    await selection().getByRole('button', { name: 'Compare from here' }).click();
    await flag(AFTER).click();
    await selection()
      .getByRole('button', { name: new RegExp(`^Compare with .*${BEFORE}`) })
      .click();
    await page.getByRole('heading', { name: 'Compare', exact: true }).waitFor();
    await page.getByText(`From bookmark “${BEFORE}” to bookmark “${AFTER}”`).waitFor();
    const line = page.getByRole('row').filter({ hasText: 'public.employees' });
    await line.waitFor({ timeout: 120_000 });
    expect(await cells(line)).toEqual(['public.employees', '1', '1', '1', '0']);
    await line.getByRole('button', { name: 'public.employees' }).click();
    const detail = page.locator('tr.detail');
    await detail.getByText('"eng" → "research"').waitFor();
    expect(await detail.textContent()).toContain('{"id":2}');
    await screenshot(page, '30-compare');
    await page.getByRole('link', { name: 'Back to the container' }).click();
    await page.waitForURL(`**/containers/${containerId}`);
  });

  it('previews a bookmark read-only: its tables and rows, a connection that reads and cannot write', async () => {
    await openContainer();
    await flag(BEFORE).click();
    await selection().getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview', exact: true }).waitFor();
    const table = page.getByRole('row').filter({ hasText: 'public.employees' });
    await table.waitFor({ timeout: 120_000 });
    expect(await cells(table)).toEqual(['public.employees', '3']);
    await table.getByRole('button', { name: 'public.employees' }).click();
    await page.getByRole('heading', { name: 'public.employees' }).waitFor();
    // The bookmark's data, not the container's: Linus is there, Margaret is not.
    await page.getByRole('cell', { name: 'Linus', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'Margaret', exact: true }).count()).toBe(0);
    await screenshot(page, '31-preview');

    const readOnly = (await page.locator('p.endpoint code').textContent())!.trim();
    expect(readOnly).toMatch(/^postgres:\/\/branchpoint_reader:/);
    const ca = await cloneCa(stack.api);
    await withClone(readOnly, ca, async (client) => {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM employees');
      expect(Number(rows[0]!.n)).toBe(3);
      await expect(
        client.query(`INSERT INTO employees VALUES (9, 'Intruder', 'x')`),
      ).rejects.toThrow(/read-only/);
    });

    await page.getByRole('button', { name: 'End preview' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/previews/'));
    await expect(withClone(readOnly, ca, (client) => client.query('SELECT 1'))).rejects.toThrow();
  });

  it("rebases the branch onto the template's newest data: its changes replayed, the old branch kept", async () => {
    await withClient(source.connectionString, (client) =>
      client.query(`INSERT INTO employees VALUES (5, 'Barbara', 'eng')`),
    );
    await stack.api.operate('POST', `/templates/${templateId}/refresh`);
    await openContainer();
    await page.getByRole('button', { name: /^Branch default/ }).click();
    await selection().getByRole('button', { name: 'Rebase onto newest data' }).click();
    await page.getByRole('heading', { name: 'Rebase onto newest data' }).waitFor();
    const rows = page.getByRole('table', { name: 'Rows replayed per table' });
    const line = rows.getByRole('row').filter({ hasText: 'public.employees' });
    await line.waitFor({ timeout: 120_000 });
    // Inserted Margaret, updated Grace, deleted Linus; nothing in conflict.
    expect(await cells(line)).toEqual(['public.employees', '1', '1', '1', '0', '0']);
    await page.getByText(/were replayed on a new branch of v2, which is now active/).waitFor();
    await screenshot(page, '32-rebase');
    // The container now serves the rebased branch: the new version's row and the branch's changes.
    const names = await withClone(database, await cloneCa(stack.api), async (client) =>
      (await client.query<{ name: string }>('SELECT name FROM employees ORDER BY id')).rows.map(
        (row) => row.name,
      ),
    );
    expect(names).toEqual(['Ada', 'Grace', 'Margaret', 'Barbara']);
  });

  it('configures a database per pull request as an admin; an opened pull request gets one, and a comment', async () => {
    const lead = await createUser(stack, 'lead', 'admin');
    const admin = await openBrowser(stack.baseUrl);
    try {
      const page = admin.page;
      await page.goto('/');
      await signIn(page, lead.username, lead.password);
      await page.goto('/admin');
      await page.getByRole('tab', { name: 'Pull requests' }).click();
      const section = page.getByRole('region', { name: 'Pull-request databases' });
      await section.getByRole('combobox', { name: 'Template' }).click();
      await page.getByRole('option', { name: 'staff' }).click();
      const form = section.getByRole('form', { name: 'Add a repository' });
      await form.getByLabel('Repository').fill('acme/staff');
      await form.getByLabel('API URL (optional)').fill(forge.url);
      await form.getByLabel('API token').fill('forge-token');
      await form.getByRole('combobox', { name: 'Bookmark' }).click();
      await page.getByRole('option', { name: new RegExp(`^${BEFORE}`) }).click();
      await form.getByLabel('Expires in').fill('2d');
      await form.getByRole('button', { name: 'Add' }).click();
      const created = section.getByRole('status', { name: 'New configuration' });
      await created.getByText('Set up the webhook in GitHub').waitFor();
      const [url, secret] = (await created.locator('code').allTextContents()).map((t) => t.trim());
      expect(url).toMatch(/\/api\/v1\/forge\/github\/[0-9a-f-]{36}$/);
      await section.getByRole('row').filter({ hasText: 'github: acme/staff' }).waitFor();
      await screenshot(page, '33-pull-requests');

      // The forge's delivery, signed with the secret the page showed once.
      const raw = JSON.stringify({
        action: 'opened',
        number: 42,
        pull_request: { number: 42, labels: [] },
      });
      const delivered = await fetch(url!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret!).update(raw).digest('hex')}`,
        },
        body: raw,
      });
      expect(delivered.status).toBe(202);
      const events = section.getByRole('list', { name: 'Events of acme/staff' });
      await expect
        .poll(
          async () => {
            await section.getByRole('button', { name: 'Events' }).click();
            return (await events.count()) ? events.textContent() : '';
          },
          { timeout: 120_000, interval: 2_000 },
        )
        .toMatch(/#42 open: succeeded made container pr-staff-42\s+\(comment: ok\)/);
      // The pull request's container is listed, and the forge got one comment on it.
      await page.goto('/containers');
      const row = page.getByRole('row').filter({ hasText: 'pr-staff-42' });
      await row.waitFor();
      expect(forge.commentsOn('github:acme/staff#42')).toHaveLength(1);
    } finally {
      await admin.close();
    }
  });
});
