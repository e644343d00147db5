import {
  type SourceDatabase,
  type Stack,
  createSourceDatabase,
  withClient,
} from '@branchpoint/testing';
import type { Locator, Page } from 'playwright-core';
import { type WebhookReceiver, startWebhookReceiver } from './support/webhook-receiver';
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
import { countEmployees, createUser, sql, startFrontendStack } from './support/stack';

const EMPLOYEES = 25;
const BOOKMARK = 'after edge case data';

describe('Branchpoint UI on a real stack', () => {
  let stack: Stack;
  let source: SourceDatabase;
  let qa: { username: string; password: string };
  let dev: { username: string; password: string };
  let templateId: string;
  const sessions: BrowserSession[] = [];
  /** QA's container page and its connection string, shared by the scenarios below. */
  let qaPage: Page;
  let qaDatabase: string;
  /** The developer's container page and its connection string, from the sharing scenario on. */
  let devPage: Page;
  let devDatabase: string;

  beforeAll(async () => {
    // The webhook receiver listens on loopback, which the outbound fence refuses unless allowed.
    stack = await startFrontendStack({ BP_OUTBOUND_ALLOW: '127.0.0.1/32' });
    source = await createSourceDatabase({
      prefix: 'fe_e2e',
      setupSql: `CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL, department text NOT NULL);
        INSERT INTO employees (name, department) SELECT 'employee ' || g, 'dept ' || (g % 5) FROM generate_series(1, ${EMPLOYEES}) g;`,
    });
    const template = await stack.api.operate('POST', '/templates', {
      name: 'employees',
      hostId: stack.hostId,
      sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
    });
    if (!template.id) throw new Error('creating a template answered no id');
    templateId = template.id;
    qa = await createUser(stack, 'qa');
    dev = await createUser(stack, 'dev');
  });

  afterAll(async () => {
    for (const session of sessions) await session.close().catch(() => undefined);
    await stack?.stop();
    await source?.drop();
  });

  async function browser(): Promise<Page> {
    const session = await openBrowser(stack.baseUrl);
    sessions.push(session);
    return session.page;
  }

  async function createContainer(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: 'New container' }).click();
    const dialog = await openedDialog(page);
    await dialog.getByLabel('Name').fill(name);
    const sawProgress = await watchForProgressBar(page);
    await dialog.getByRole('button', { name: 'Create container' }).click();
    await expectOperationSucceeds(page, `Container ${name} is ready`);
    expect(await sawProgress()).toBe(true);
    await page.getByRole('heading', { name, exact: true }).waitFor();
  }

  async function connectionString(page: Page): Promise<string> {
    const text = await page
      .getByLabel('Connection string for app-db', { exact: true })
      .textContent();
    expect(text).toMatch(/^postgres(ql)?:\/\//);
    return text!.trim();
  }

  const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Container actions' });
  const selection = (page: Page) => page.getByRole('region', { name: 'Selection' });
  const bookmarkFlag = (page: Page) =>
    page.getByRole('button', { name: new RegExp(`^Bookmark ${BOOKMARK} on default`) });

  it('signs in, creates a container, bookmarks it, and restores the rows a destructive test deleted', async () => {
    const page = (qaPage = await browser());
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, '01-sign-in');

    await page.getByLabel('Username').fill(qa.username);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Sign-in failed: wrong username or password' })
      .waitFor();

    await signIn(page, qa.username, qa.password);
    await page.getByText('You have no containers yet').waitFor();
    await screenshot(page, '02-containers-empty');

    await createContainer(page, 'qa-box');
    qaDatabase = await connectionString(page);
    expect(await countEmployees(qaDatabase)).toBe(EMPLOYEES);

    // Edge-case rows, then a bookmark of them.
    await sql(
      qaDatabase,
      `INSERT INTO employees (name, department) VALUES ('Zoë O''Brien', 'qa'), ('', 'qa')`,
    );
    await toolbar(page).getByRole('button', { name: 'Bookmark', exact: true }).click();
    let dialog = await openedDialog(page);
    await dialog.getByLabel('Name').fill(BOOKMARK);
    await dialog.getByLabel('Tags').fill('qa, edge-case');
    await dialog.getByLabel('Bug reference').fill('BUG-4711');
    await screenshot(page, '03-bookmark-dialog');
    await dialog.getByRole('button', { name: 'Create bookmark' }).click();
    await expectOperationSucceeds(page, `Bookmark “${BOOKMARK}” created`);
    await bookmarkFlag(page).waitFor();

    // A bad request ends with a message saying what was wrong.
    await toolbar(page).getByRole('button', { name: 'Bookmark', exact: true }).click();
    dialog = await openedDialog(page);
    await dialog.getByLabel('Name').fill('bad tags');
    await dialog.getByLabel('Tags').fill('not a tag!');
    await dialog.getByRole('button', { name: 'Create bookmark' }).click();
    const failure = page
      .locator('.op')
      .filter({ has: page.getByRole('alert').filter({ hasText: 'Bookmark failed:' }) });
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(/each tag must be/);
    await failure.getByRole('button', { name: 'Dismiss' }).click();
    await failure.waitFor({ state: 'detached' });

    // The destructive test, then back to the bookmark.
    await sql(qaDatabase, 'DELETE FROM employees');
    expect(await countEmployees(qaDatabase)).toBe(0);
    await bookmarkFlag(page).click();
    await selection(page).getByRole('button', { name: 'Restore', exact: true }).click();
    await (await openedDialog(page)).getByRole('button', { name: 'Restore', exact: true }).click();
    await expectOperationSucceeds(page, `default restored to bookmark “${BOOKMARK}”`);
    expect(await countEmployees(qaDatabase)).toBe(EMPLOYEES + 2);
    expect(await countEmployees(qaDatabase, `name = 'Zoë O''Brien'`)).toBe(1);
    await page
      .getByRole('button', { name: /^Restored on default/ })
      .first()
      .waitFor();
    await screenshot(page, '04-container-timeline');
  });

  it('resets, undoes, locks and unlocks, and another viewer sees the timeline change without a reload', async () => {
    const other = await qaPage.context().newPage();
    const pushed: string[] = [];
    other.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => pushed.push(String(payload))),
    );
    await other.goto(qaPage.url());
    await bookmarkFlag(other).waitFor();
    const resets = other.getByRole('button', { name: /^Reset on default/ });
    expect(await resets.count()).toBe(0);

    await sql(qaDatabase, `INSERT INTO employees (name, department) VALUES ('thrown away', 'qa')`);
    await toolbar(qaPage).getByRole('button', { name: 'Reset', exact: true }).click();
    await (await openedDialog(qaPage)).getByRole('button', { name: 'Reset', exact: true }).click();
    await expectOperationSucceeds(qaPage, 'default was reset to its last point');
    expect(await countEmployees(qaDatabase, `name = 'thrown away'`)).toBe(0);

    await resets.first().waitFor({ timeout: 20_000 });

    // Undo brings back what the reset threw away, and the other tab sees that too.
    await toolbar(qaPage).getByRole('button', { name: 'Undo', exact: true }).click();
    await expectOperationSucceeds(qaPage, 'The last operation was undone');
    expect(await countEmployees(qaDatabase, `name = 'thrown away'`)).toBe(1);
    await other
      .getByRole('button', { name: /^Undone on default/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await sql(qaDatabase, `DELETE FROM employees WHERE name = 'thrown away'`);

    // Lock and unlock.
    await toolbar(qaPage).getByRole('button', { name: 'Lock', exact: true }).click();
    await expectOperationSucceeds(qaPage, 'Locked: only you can operate on this container');
    await qaPage.getByText('Locked by you').waitFor();
    await toolbar(qaPage).getByRole('button', { name: 'Unlock', exact: true }).click();
    await expectOperationSucceeds(qaPage, 'Unlocked');
    await toolbar(qaPage).getByRole('button', { name: 'Lock', exact: true }).waitFor();
    // It came as a socket.io push, not from the fallback polling.
    expect(pushed.some((frame) => /"(timeline|container)\.changed"/.test(frame))).toBe(true);
    await other.close();
  });

  it('shares the bookmark; another user branches from it, activates the branch and gets exactly that data', async () => {
    await bookmarkFlag(qaPage).click();
    await selection(qaPage).getByRole('button', { name: 'Share', exact: true }).click();
    const share = await openedDialog(qaPage);
    await share.getByRole('checkbox', { name: dev.username }).check();
    await share.getByRole('button', { name: 'Share', exact: true }).click();
    await expectOperationSucceeds(qaPage, `Bookmark “${BOOKMARK}” shared`);

    const page = (devPage = await browser());
    await signIn(page, dev.username, dev.password);
    await createContainer(page, 'dev-box');
    devDatabase = await connectionString(page);
    expect(await countEmployees(devDatabase)).toBe(EMPLOYEES);

    await page.getByRole('link', { name: 'Bookmarks' }).click();
    await page.getByRole('radio', { name: 'Shared with me' }).click();
    const item = page.getByRole('listitem').filter({ hasText: BOOKMARK });
    await item.waitFor();
    await screenshot(page, '05-bookmarks-catalog');
    // One click: a branch of QA's bookmark in dev-box (the developer's only container of the
    // template), activated; the catalog stays open and offers the container.
    const sawProgress = await watchForProgressBar(page);
    await item.getByRole('button', { name: 'New branch' }).click();
    await expectOperationSucceeds(page, 'Branch after-edge-case-data created in dev-box');
    await expectOperationSucceeds(page, 'after-edge-case-data is active');
    expect(await sawProgress()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/bookmarks');
    await screenshot(page, '18-bookmarks-catalog-branch-active');
    await page.getByRole('link', { name: 'Open dev-box' }).click();
    await page.getByRole('heading', { name: 'dev-box', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Branch after-edge-case-data (active)' }).waitFor();
    await screenshot(page, '06-branch-activated');

    // Same connection string, QA's data; and each side's writes stay on their side.
    expect(await connectionString(page)).toBe(devDatabase);
    expect(await countEmployees(devDatabase)).toBe(EMPLOYEES + 2);
    expect(await countEmployees(devDatabase, `name = 'Zoë O''Brien'`)).toBe(1);
    await sql(devDatabase, `DELETE FROM employees WHERE department = 'qa'`);
    expect(await countEmployees(qaDatabase)).toBe(EMPLOYEES + 2);
    await sql(qaDatabase, `INSERT INTO employees (name, department) VALUES ('qa only', 'qa')`);
    expect(await countEmployees(devDatabase, `name = 'qa only'`)).toBe(0);

    // QA's container is listed as shared with the developer, with dev's own one as theirs.
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    const shared = page.getByRole('region', { name: 'Shared with me' });
    await shared.getByRole('link', { name: 'qa-box' }).waitFor();
    const mine = page.getByRole('region', { name: 'My containers' });
    const devRow = mine.getByRole('row').filter({ hasText: 'dev-box' });
    expect(await devRow.textContent()).toContain('after-edge-case-data');
    await expect
      .poll(() => devRow.textContent(), { timeout: 20_000 })
      .toMatch(/\d (B|KiB|MiB|GiB)/);
    await screenshot(page, '07-containers-mine-and-shared');
  });

  it("opens a bookmark's link: not found until shared, a webhook hears the share, New branch makes its data active in one click", async () => {
    // A newcomer asks to hear about bookmarks shared with them.
    const receiver: WebhookReceiver = await startWebhookReceiver();
    let link: string;
    try {
      const guest = await createUser(stack, 'guest');
      const page = await browser();
      await signIn(page, guest.username, guest.password);
      await page.getByRole('button', { name: `User menu of ${guest.username}` }).click();
      await page.getByRole('menuitem', { name: 'Notifications' }).click();
      await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
      await page.getByText('No webhooks yet').waitFor();
      const form = page.getByRole('form', { name: 'Add a webhook' });
      await form.getByLabel('URL').fill(receiver.url);
      await form.getByRole('checkbox', { name: /A bookmark was shared with me/ }).check();
      await form.getByRole('button', { name: 'Add webhook' }).click();
      await expectOperationSucceeds(page, `Webhook for ${receiver.url} created`);
      expect(await page.getByLabel('Secret', { exact: true }).textContent()).toMatch(/^whsec_/);
      await page.getByRole('region', { name: 'Webhooks' }).getByText(receiver.url).waitFor();
      await screenshot(page, '13-notifications');

      // QA copies the bookmark's link from the timeline.
      await qaPage.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await bookmarkFlag(qaPage).click();
      await selection(qaPage).getByRole('button', { name: 'Copy link' }).click();
      link = await qaPage.evaluate(() => navigator.clipboard.readText());
      expect(link).toMatch(new RegExp(`^${stack.baseUrl}/bookmarks/[0-9a-f-]{36}$`));

      // Not shared with the newcomer yet: the page does not even say that it exists.
      await page.goto(link);
      await page.getByText('Bookmark not found').waitFor();
      expect(await page.getByText(BOOKMARK).count()).toBe(0);

      await selection(qaPage).getByRole('button', { name: 'Share', exact: true }).click();
      const share = await openedDialog(qaPage);
      await share.getByRole('checkbox', { name: guest.username }).check();
      await share.getByRole('button', { name: 'Share', exact: true }).click();
      await expectOperationSucceeds(qaPage, `Bookmark “${BOOKMARK}” shared`);
      const delivery = await receiver.next();
      expect(delivery.headers['x-branchpoint-signature']).toBeTruthy();
      expect(delivery.body).toContain(BOOKMARK);

      // Now it is: with no container of the template, it offers a new container from it.
      await page.reload();
      await page.getByRole('heading', { name: BOOKMARK }).waitFor();
      await page.getByRole('button', { name: 'New container' }).waitFor();
      await page.goto('/settings/notifications');
      await page.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
      const deliveries = page.getByRole('region', { name: `Deliveries to ${receiver.url}` });
      await expect
        .poll(
          async () => {
            await deliveries.getByRole('button', { name: 'Refresh' }).click();
            return deliveries.getByRole('row').filter({ hasText: 'bookmark.shared' }).textContent();
          },
          { timeout: 20_000 },
        )
        .toMatch(/succeeded\s*1\s*ok/);
      await screenshot(page, '14-notifications-deliveries');
    } finally {
      await receiver.close();
    }

    // The developer follows the same link: one click, and dev-box serves the bookmarked data.
    await devPage.goto(link);
    await devPage.getByRole('heading', { name: BOOKMARK }).waitFor();
    await devPage.getByText('Into dev-box').waitFor();
    await screenshot(devPage, '15-bookmark-page');
    expect(await countEmployees(devDatabase)).toBe(EMPLOYEES);
    await devPage.getByRole('button', { name: 'New branch' }).click();
    await expectOperationSucceeds(devPage, 'after-edge-case-data-2 is active');
    // The activation's job log says what it did; an open log keeps the message on screen.
    await devPage
      .locator('.op')
      .filter({ hasText: 'after-edge-case-data-2 is active' })
      .getByRole('button', { name: 'Show log' })
      .click();
    await devPage
      .getByRole('log', { name: 'Activate log' })
      .getByText(/databases running on port \d+/)
      .waitFor();
    await devPage.getByRole('heading', { name: 'dev-box', exact: true }).waitFor();
    await devPage
      .getByRole('button', { name: 'Branch after-edge-case-data-2 (active)' })
      .waitFor({ timeout: 20_000 });
    expect(await connectionString(devPage)).toBe(devDatabase);
    expect(await countEmployees(devDatabase)).toBe(EMPLOYEES + 2);
    expect(await countEmployees(devDatabase, `name = 'Zoë O''Brien'`)).toBe(1);
    await screenshot(devPage, '16-bookmark-branch-active');
  });

  it('keeps the timeline readable with many branches: narrow lanes, EVENT inside the card', async () => {
    // A/B experiments, made through the API; the page follows through socket.io.
    const api = stack.api.as(await stack.api.login(dev.username, dev.password));
    const containerId = new URL(devPage.url()).pathname.split('/').at(-1);
    const experiments = [
      'perf-baseline-a',
      'perf-index-b',
      'perf-no-fk-c',
      'perf-d',
      'perf-brin-index-e',
    ];
    let newest = '';
    for (const name of experiments)
      newest = (await api.operate('POST', `/containers/${containerId}/branches`, { name })).id!;
    await api.operate('POST', `/branches/${newest}/activate`);

    const timeline = devPage.getByRole('group', { name: 'Timeline' });
    const active = timeline.getByRole('button', { name: 'Branch perf-brin-index-e (active)' });
    await active.waitFor({ timeout: 20_000 });
    expect(await timeline.locator('.lane-head').count()).toBe(8);
    const box = async (element: Locator) => {
      const found = await element.first().boundingBox();
      if (!found) throw new Error(`${element.toString()} is not on screen`);
      return { left: found.x, right: found.x + found.width, width: found.width };
    };
    /** Between the pinned TIME and EVENT columns, not under them. */
    const expectLaneShown = async (lane: Locator) => {
      const time = await box(timeline.locator('.col-time'));
      const event = await box(timeline.locator('.col-what'));
      const head = await box(lane);
      expect(head.left).toBeGreaterThanOrEqual(time.right - 1);
      expect(head.right).toBeLessThanOrEqual(event.left + 1);
    };
    const branched = timeline.getByRole('button', {
      name: /^Branched from “after edge case data” on after-edge-case-data-2,/,
    });

    for (const [width, name] of [
      [1024, '22-timeline-many-branches-1024'],
      [1280, '21-timeline-many-branches'],
    ] as const) {
      await devPage.setViewportSize({ width, height: 800 });
      // EVENT keeps a readable width inside the card, with its whole text as the tooltip.
      const event = branched.locator('.what');
      await expect.poll(async () => (await box(event)).width).toBeGreaterThanOrEqual(300);
      expect((await box(event)).right).toBeLessThanOrEqual(
        (await box(timeline.locator('.scroller'))).right + 1,
      );
      expect(await event.getAttribute('title')).toBe(
        'Branched from “after edge case data” · after-edge-case-data-2',
      );
      // The newest lane is the active one: scrolled into view when the lanes do not all fit,
      // as at 1280 px where the selection panel takes its share of the width.
      await expectLaneShown(active);
      if (width === 1280)
        expect(await timeline.locator('.scroller').evaluate((e) => e.scrollLeft)).toBeGreaterThan(
          0,
        );
      await screenshot(devPage, name);
    }
    // The lane headers are narrow: the full name (and the version of the branch's data) is the
    // tooltip, and the keyboard brings a lane scrolled away back into view.
    await active.hover();
    await devPage
      .locator('.mat-mdc-tooltip')
      .getByText('perf-brin-index-e · version v1', { exact: true })
      .waitFor();
    const first = timeline.getByRole('button', { name: 'Branch default', exact: true });
    await first.focus();
    await expectLaneShown(first);
    await devPage.keyboard.press('Enter');
    await selection(devPage).getByRole('button', { name: 'Activate' }).waitFor();
  });

  it('scrolls a branch of thousands of points through a virtual list: only the rows in view are in the page', async () => {
    // Thousands of old points on one branch, written straight into the catalog (the agents
    // would take hours), then the page read afresh; they go again at the end.
    const POINTS = 3_000;
    const containerId = new URL(devPage.url()).pathname.split('/').at(-1)!;
    const api = stack.api.as(await stack.api.login(dev.username, dev.password));
    const branches = await api.expect<{ id: string; name: string }[]>(
      200,
      'GET',
      `/containers/${containerId}/branches`,
    );
    const branchId = branches.find((b) => b.name === 'perf-baseline-a')!.id;
    const old = `"branchId" = $1 AND "createdAt" < now() - interval '360 days'`;
    await withClient(stack.databaseUrl, (db) =>
      db.query(
        `INSERT INTO point (id, "branchId", "containerId", type, "createdAt", "templateVersion")
         SELECT gen_random_uuid(), $1, $2, 'snapshot', now() - interval '1 year' - g * interval '1 minute', 'v1'
           FROM generate_series(1, ${POINTS}) g`,
        [branchId, containerId],
      ),
    );
    try {
      await devPage.reload();
      const timeline = devPage.getByRole('group', { name: 'Timeline' });
      // The card's scroller is the virtual list's scrolling element (cdkVirtualScrollingElement).
      const scroller = timeline.locator('.scroller');
      await timeline.getByRole('button', { name: 'Branch perf-baseline-a' }).waitFor();
      const indexes = async () =>
        (
          await timeline
            .locator('.row')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-index')))
        ).map(Number);
      await expect.poll(async () => (await indexes()).includes(0), { timeout: 30_000 }).toBe(true);
      expect((await indexes()).length).toBeLessThan(200);
      // The oldest point is reachable at the bottom, and still only a window of rows is rendered.
      await scroller.evaluate((e) => e.scrollTo({ top: e.scrollHeight }));
      await expect
        .poll(async () => Math.max(...(await indexes())), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(POINTS);
      expect((await indexes()).length).toBeLessThan(200);
      expect(await indexes()).not.toContain(0);
      await screenshot(devPage, '25-timeline-thousands-of-points');
      await scroller.evaluate((e) => e.scrollTo({ top: 0 }));
      await expect.poll(async () => (await indexes()).includes(0), { timeout: 30_000 }).toBe(true);
    } finally {
      await withClient(stack.databaseUrl, (db) =>
        db.query(`DELETE FROM point WHERE ${old}`, [branchId]),
      );
      await devPage.reload();
    }
  });

  it("refreshes a container with the template's latest data and keeps its bookmarks", async () => {
    await source.query(`INSERT INTO employees (name, department) VALUES ('hired today', 'new')`);
    await stack.api.operate('POST', `/templates/${templateId}/refresh`);
    await toolbar(qaPage).getByRole('button', { name: 'Refresh', exact: true }).click();
    await (
      await openedDialog(qaPage)
    )
      .getByRole('button', { name: 'Refresh', exact: true })
      .click();
    await expectOperationSucceeds(qaPage, 'Container refreshed with the latest data');
    expect(await countEmployees(qaDatabase)).toBe(EMPLOYEES + 1);
    expect(await countEmployees(qaDatabase, `name = 'hired today'`)).toBe(1);
    await qaPage
      .getByRole('button', { name: /^Refreshed on default/ })
      .first()
      .waitFor();
    await bookmarkFlag(qaPage).waitFor();
    const version = (v: string) => qaPage.locator('.facts strong').getByText(new RegExp(` ${v}$`));
    await version('v2').waitFor();
    await screenshot(qaPage, '08-container-after-refresh');

    // Undo brings the data from before the refresh back, and with it its version.
    await toolbar(qaPage).getByRole('button', { name: 'Undo', exact: true }).click();
    await expectOperationSucceeds(qaPage, 'The last operation was undone');
    expect(await countEmployees(qaDatabase, `name = 'hired today'`)).toBe(0);
    await version('v1').waitFor();

    // Another owner, and back.
    await qaPage.getByRole('button', { name: 'Manage' }).click();
    let owners = await openedDialog(qaPage);
    await owners.getByRole('combobox', { name: 'Add an owner' }).click();
    await qaPage.getByRole('option', { name: dev.username, exact: true }).click();
    await owners.getByRole('button', { name: 'Add', exact: true }).click();
    await expectOperationSucceeds(qaPage, `${dev.username} now owns qa-box too`);
    await qaPage.getByText(`qa, ${dev.username}`).waitFor();
    await qaPage.getByRole('button', { name: 'Manage' }).click();
    owners = await openedDialog(qaPage);
    await owners.getByRole('button', { name: `Remove ${dev.username}` }).click();
    await expectOperationSucceeds(qaPage, `${dev.username} no longer owns qa-box`);
  });

  it('shows the admin pages and usage', async () => {
    const page = await browser();
    await signIn(page, 'admin', stack.adminPassword);
    await page.getByRole('link', { name: 'Admin' }).click();
    const hosts = page.getByRole('region', { name: 'Hosts' });
    await hosts.getByText('up', { exact: true }).waitFor();
    await hosts.getByRole('progressbar', { name: /pool used/ }).waitFor();
    await screenshot(page, '09-admin-hosts');

    // Edit the host: a URL that is not https is refused in the form, a fingerprint the agent
    // does not present by the API, in the dialog; a wrong token takes the host down, the right
    // one brings it back. The list shows the certificate pinned at registration.
    const registered = await stack.api.expect<{ id: string; name: string; url: string }[]>(
      200,
      'GET',
      '/hosts',
    );
    const { name: hostName, url: agentUrl } = registered.find((h) => h.id === stack.hostId)!;
    const hostRow = hosts.getByRole('row').filter({ hasText: hostName });
    await hostRow.getByText(`sha256 ${stack.agentFingerprint}`).waitFor();
    const editHost = async () => {
      await hosts.getByRole('button', { name: `Edit ${hostName}` }).click();
      const dialog = await openedDialog(page);
      expect(await dialog.getByLabel('URL').inputValue()).toBe(agentUrl);
      expect(await dialog.getByLabel('Token').inputValue()).toBe('');
      return dialog;
    };
    let edit = await editHost();
    await edit.getByLabel('URL').fill(agentUrl.replace('https:', 'http:'));
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByText('An https:// URL').waitFor();
    await edit.getByLabel('URL').fill(agentUrl);
    const wrong = Array.from({ length: 32 }, () => 'AB').join(':');
    await edit.getByLabel('Certificate fingerprint').fill(wrong);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit
      .getByRole('alert')
      .filter({
        hasText: `Could not save ${hostName}: the agent at ${agentUrl} presents a different certificate: expected ${wrong}, got ${stack.agentFingerprint}`,
      })
      .waitFor();
    await screenshot(page, '19-admin-host-edit-refused');
    await edit.getByLabel('Certificate fingerprint').fill('');
    await edit.getByLabel('Token').fill('not-the-agent-token');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await hostRow.getByText('down', { exact: true }).waitFor();

    edit = await editHost();
    await edit.getByLabel('Token').fill(stack.agentToken);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await hostRow.getByText('up', { exact: true }).waitFor();
    await screenshot(page, '20-admin-hosts-after-edit');
    await page.getByRole('tab', { name: 'Templates' }).click();
    await page.getByRole('cell', { name: 'employees', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByText(/^\s*v1 · .+ · ready/).waitFor();
    await screenshot(page, '10-admin-templates');

    // Hooks: one SQL statement per block, saved on the template.
    await page.getByRole('button', { name: 'Hooks of employees' }).click();
    const hooks = page.getByRole('form', { name: 'Hooks of employees' });
    const afterIngest = hooks.getByRole('group', { name: 'After ingest' });
    await afterIngest.getByRole('button', { name: 'Add statement' }).click();
    const statement = `UPDATE employees SET department = 'masked' WHERE department = 'secret'`;
    await afterIngest
      .getByRole('textbox', { name: 'After ingest SQL 1', exact: true })
      .fill(statement);
    await screenshot(page, '17-admin-template-hooks');
    await hooks.getByRole('button', { name: 'Save hooks' }).click();
    await expectOperationSucceeds(page, 'Hooks of employees saved');
    const saved = await stack.api.expect<{ hooks: { afterIngest?: string[] } }>(
      200,
      'GET',
      `/templates/${templateId}`,
    );
    expect(saved.hooks.afterIngest).toEqual([statement]);
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'dev', exact: true }).waitFor();
    await screenshot(page, '11-admin-users');
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'By container' }).waitFor();
    expect(await page.getByRole('img', { name: /logical/ }).count()).toBeGreaterThan(0);
    await screenshot(page, '12-usage');
  });
});
