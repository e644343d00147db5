import { startStack, type ApiClient, type Stack } from '@branchpoint/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, page } from './pages.js';
import { CLONE_PORTS, eventually } from './support.js';

// Pagination of the lists beyond containers, bookmarks and jobs (issue 11, point 8; those are in
// quotas.e2e.ts): users, templates, hosts, API tokens, webhooks, webhook deliveries and outbound
// rules answer pages of `limit` that together hold every item exactly once, in their order, and
// refuse a limit over 500 or a cursor no page gave out with a 400 naming it. Templates that fail
// to ingest (a source that does not exist) are real templates and make job.failed deliveries,
// so no container is needed.

const RECEIVER_HOST = '127.0.0.2';

let stack: Stack;
let admin: ApiClient;
let receiver: Server;
let webhookId: string;

beforeAll(async () => {
  // Answers every delivery, so they all end `succeeded` and the history stays still.
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, RECEIVER_HOST, resolve));
  const receiverUrl = `http://${RECEIVER_HOST}:${(receiver.address() as AddressInfo).port}`;
  stack = await startStack({
    project: 'backend-pagination',
    clonePorts: CLONE_PORTS,
    backendEnv: { BP_OUTBOUND_ALLOW: `${RECEIVER_HOST}/32` },
  });
  admin = stack.api;
  webhookId = (
    await admin.expect<{ id: string }>(201, 'POST', '/webhooks', {
      url: `${receiverUrl}/failed`,
      format: 'json',
      events: ['job.failed'],
    })
  ).id;
  // Created out of name order, to show the list is by name.
  for (const name of ['tpl-c', 'tpl-a', 'tpl-b']) {
    const { jobId } = await admin.expect<{ jobId: string }>(202, 'POST', '/templates', {
      name,
      hostId: stack.hostId,
      sources: [
        {
          name: 'db',
          kind: 'postgres',
          connectionString: 'postgresql://nobody:nothing@127.0.0.1:1/none',
        },
      ],
    });
    expect((await admin.waitForJob(jobId)).state).toBe('failed');
  }
  for (const name of ['carol', 'alice', 'bob']) await stack.createUser(name);
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** The whole list in one page (it must fit), and its pages of `limit` followed to the end. */
async function pagesOf(api: ApiClient, path: string, limit: number) {
  const whole = await page(api, `${path}?limit=500`);
  expect(whole.status, path).toBe(200);
  expect(whole.next, path).toBeNull();
  const paged = await follow(api, `${path}?limit=${limit}`);
  return { whole: whole.body, paged };
}

describe('pagination of every list', () => {
  it('users: by username, each exactly once across pages of 1 and of 2', async () => {
    const { whole, paged } = await pagesOf(admin, '/users', 1);
    const names = (whole as unknown as { username: string }[]).map((u) => u.username);
    expect(names).toEqual(['admin', 'alice', 'bob', 'carol']);
    expect(paged).toEqual({ ids: whole.map((u) => u.id), pages: 4 });
    expect(await follow(admin, '/users?limit=2')).toEqual({ ids: paged.ids, pages: 2 });
    // Not only admins page: everyone lists users to share bookmarks with.
    const alice = await stack.createUser('dave');
    expect((await follow(alice.api, '/users?limit=3')).ids).toHaveLength(5);
  });

  it('templates: by name, each exactly once, the last page without a next', async () => {
    const { whole, paged } = await pagesOf(admin, '/templates', 2);
    expect((whole as unknown as { name: string }[]).map((t) => t.name)).toEqual([
      'tpl-a',
      'tpl-b',
      'tpl-c',
    ]);
    expect(paged).toEqual({ ids: whole.map((t) => t.id), pages: 2 });
    expect((await follow(admin, '/templates?limit=1')).pages).toBe(3);
  });

  it('webhook deliveries: newest first, each exactly once', async () => {
    const path = `/webhooks/${webhookId}/deliveries`;
    // One job.failed per template; wait until all three were delivered.
    await eventually(async () => {
      const kept = await admin.expect<{ state: string }[]>(200, 'GET', path);
      expect(kept.map((d) => d.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    }, 60_000);
    const { whole, paged } = await pagesOf(admin, path, 1);
    expect(paged).toEqual({ ids: whole.map((d) => d.id), pages: 3 });
    const times = (whole as unknown as { createdAt: string }[]).map((d) => d.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await follow(admin, `${path}?limit=2`)).ids).toEqual(paged.ids);
  });

  it('hosts, API tokens, webhooks and outbound rules page the same way', async () => {
    for (const name of ['ci-1', 'ci-2']) await admin.expect(201, 'POST', '/tokens', { name });
    await admin.expect(201, 'POST', '/webhooks', {
      url: `http://${RECEIVER_HOST}:9/second`,
      format: 'json',
      events: ['host.down'],
    });
    for (const entry of ['10.1.0.0/16', '10.2.0.0/16'])
      await admin.expect(201, 'POST', '/settings/outbound', { entry });
    for (const [path, count] of [
      ['/hosts', 1],
      ['/tokens', 2],
      ['/webhooks', 2],
    ] as const) {
      const { whole, paged } = await pagesOf(admin, path, 1);
      expect(whole, path).toHaveLength(count);
      expect(paged, path).toEqual({ ids: whole.map((item) => item.id), pages: count });
    }
    // BP_OUTBOUND_ALLOW's entry (no id) leads the first page, then the admins' rules page.
    const outbound = await pagesOf(admin, '/settings/outbound', 1);
    expect(outbound.whole.map((rule) => rule.id)).toEqual([
      null,
      expect.any(String),
      expect.any(String),
    ]);
    expect(outbound.paged).toEqual({ ids: outbound.whole.map((r) => r.id), pages: 2 });
  });

  it.each(['/users', '/templates', '/hosts', '/tokens', '/webhooks', '/settings/outbound'])(
    '%s: a limit over 500 or a cursor no page gave out is a 400 naming it',
    async (path) => {
      await expectRefusals(path);
    },
  );

  it('webhook deliveries refuse them too', async () => {
    await expectRefusals(`/webhooks/${webhookId}/deliveries`);
  });
});

async function expectRefusals(path: string): Promise<void> {
  const over = await page(admin, `${path}?limit=501`);
  expect(over.status, path).toBe(400);
  expect(over.body.message, path).toContain('limit must not be greater than 500');
  expect((await page(admin, `${path}?limit=0`)).status, path).toBe(400);
  for (const cursor of ['nonsense', Buffer.from('["x","y"]').toString('base64url')]) {
    const bad = await page(admin, `${path}?cursor=${cursor}`);
    expect(bad.status, `${path} ${cursor}`).toBe(400);
    expect(bad.body.code).toBe('pagination.cursor-invalid');
    expect(bad.body.message).toBe('cursor is not one this list gave out');
  }
}
