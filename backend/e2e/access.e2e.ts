import { ApiClient } from '@branchpoint/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

type Actor = 'owner' | 'shared' | 'other' | 'admin' | 'none' | 'bad';

const METRICS_TOKEN = 'metrics-scraper-secret';
const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');

let world: World;
let clients: Record<Actor, ApiClient>;
let ids: {
  container: string;
  branch: string;
  point: string;
  privateBookmark: string;
  sharedBookmark: string;
  job: string;
  user: string;
};

beforeAll(async () => {
  const uiDir = mkdtempSync(join(tmpdir(), 'bp-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Branchpoint UI</title>');
  world = await startWorld('backend-access', {
    uiDir,
    backendEnv: { BP_METRICS_TOKEN: METRICS_TOKEN },
  });
  const { stack } = world;
  const owner = await stack.createUser('owner');
  const shared = await stack.createUser('shared');
  const other = await stack.createUser('other');
  clients = {
    owner: owner.api,
    shared: shared.api,
    other: other.api,
    admin: stack.api,
    none: stack.api.as(null),
    bad: stack.api.as('bpt_not-a-real-token'),
  };
  const container: ContainerView = await createContainer(owner.api, world.templateId, 'owned');
  const { id: privateBookmark, job } = await owner.api.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    { name: 'private one' },
  );
  const { id: sharedBookmark } = await owner.api.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    { name: 'shared one' },
  );
  await owner.api.expect(200, 'POST', `/bookmarks/${sharedBookmark}/share`, {
    userIds: [shared.id],
  });
  const points = await owner.api.expect<{ id: string }[]>(
    200,
    'GET',
    `/branches/${container.activeBranchId}/timeline`,
  );
  ids = {
    container: container.id,
    branch: container.activeBranchId,
    point: points[0]!.id,
    privateBookmark: privateBookmark!,
    sharedBookmark: sharedBookmark!,
    job: job.id,
    user: other.id,
  };
});

afterAll(async () => {
  await stopWorld(world);
});

/**
 * Every route with what each caller gets. Allowed callers of operations are exercised by the
 * story tests; here they are listed where the call is harmless to repeat.
 */
function matrix(): {
  method: string;
  path: string;
  body?: unknown;
  expect: Partial<Record<Actor, number>>;
}[] {
  const c = ids.container;
  const b = ids.branch;
  const pb = ids.privateBookmark;
  const sb = ids.sharedBookmark;
  const denyNonOwners = { other: 404, shared: 403, none: 401, bad: 401 };
  const hideBranch = { other: 404, shared: 404, none: 401, bad: 401 };
  const adminOnly = { owner: 403, other: 403, none: 401, bad: 401 };
  const anyUser = { owner: 200, shared: 200, other: 200, admin: 200, none: 401, bad: 401 };
  return [
    { method: 'GET', path: '/me', expect: anyUser },
    { method: 'GET', path: '/users', expect: anyUser },
    {
      method: 'POST',
      path: '/users',
      body: { username: 'newbie', password: 'newbie-password-1', role: 'user' },
      expect: adminOnly,
    },
    { method: 'GET', path: '/tokens', expect: anyUser },
    // Account lifecycle: admins only; a user that does not exist is a 404 to them alone.
    ...['password', 'disable', 'enable'].map((action) => ({
      method: 'POST',
      path: `/users/${randomUUID()}/${action}`,
      body: { password: 'a-fine-new-password' },
      expect: { ...adminOnly, admin: 404 },
    })),
    {
      method: 'DELETE',
      path: `/users/${randomUUID()}?containers=delete`,
      expect: { ...adminOnly, admin: 404 },
    },
    {
      method: 'PUT',
      path: '/me/password',
      body: { currentPassword: 'not-the-password', newPassword: 'whatever-new-password' },
      expect: { owner: 403, none: 401, bad: 401 },
    },
    {
      method: 'POST',
      path: '/tokens',
      body: { name: 'ci' },
      expect: { owner: 201, none: 401, bad: 401 },
    },
    {
      method: 'DELETE',
      path: `/tokens/${randomUUID()}`,
      expect: { owner: 404, none: 401, bad: 401 },
    },
    { method: 'GET', path: '/hosts', expect: anyUser },
    {
      method: 'POST',
      path: '/hosts',
      body: { name: 'h2', url: 'https://127.0.0.1:1', token: 't', fingerprint: FINGERPRINT },
      expect: adminOnly,
    },
    {
      method: 'PATCH',
      path: `/hosts/${randomUUID()}`,
      body: { token: 't' },
      expect: { ...adminOnly, admin: 404 },
    },
    { method: 'GET', path: '/templates', expect: anyUser },
    { method: 'GET', path: `/templates/${world.templateId}`, expect: anyUser },
    {
      method: 'POST',
      path: '/templates',
      body: {
        name: 'x',
        hostId: world.stack.hostId,
        sources: [{ name: 'a', kind: 'postgres', connectionString: 'postgres://x@y/z' }],
      },
      expect: adminOnly,
    },
    { method: 'POST', path: `/templates/${world.templateId}/refresh`, expect: adminOnly },
    { method: 'GET', path: '/containers', expect: anyUser },
    {
      method: 'POST',
      path: '/containers',
      body: { name: 'n', templateId: world.templateId },
      expect: { none: 401, bad: 401 },
    },
    {
      method: 'GET',
      path: `/containers/${c}`,
      expect: { owner: 200, shared: 200, other: 404, admin: 200, none: 401, bad: 401 },
    },
    { method: 'DELETE', path: `/containers/${c}`, expect: denyNonOwners },
    {
      method: 'PATCH',
      path: `/containers/${c}`,
      body: { name: 'owned' },
      expect: { ...denyNonOwners, owner: 200, admin: 200 },
    },
    { method: 'POST', path: `/containers/${c}/refresh`, expect: denyNonOwners },
    { method: 'POST', path: `/containers/${c}/undo`, expect: denyNonOwners },
    { method: 'POST', path: `/containers/${c}/lock`, expect: denyNonOwners },
    {
      method: 'POST',
      path: `/containers/${c}/unlock`,
      expect: { ...denyNonOwners, owner: 200, admin: 200 },
    },
    {
      method: 'POST',
      path: `/containers/${c}/owners`,
      body: { userId: ids.user },
      expect: denyNonOwners,
    },
    { method: 'DELETE', path: `/containers/${c}/owners/${ids.user}`, expect: denyNonOwners },
    {
      method: 'GET',
      path: `/containers/${c}/branches`,
      expect: { ...denyNonOwners, owner: 200, admin: 200 },
    },
    {
      method: 'POST',
      path: `/containers/${c}/branches`,
      body: { name: 'nope' },
      expect: denyNonOwners,
    },
    { method: 'POST', path: `/branches/${b}/activate`, expect: hideBranch },
    { method: 'DELETE', path: `/branches/${b}`, expect: hideBranch },
    {
      method: 'PATCH',
      path: `/branches/${b}`,
      body: {},
      expect: { ...hideBranch, owner: 200, admin: 200 },
    },
    { method: 'GET', path: '/settings/expiry', expect: anyUser },
    {
      method: 'PUT',
      path: '/settings/expiry',
      body: {
        container: { default: null, max: null },
        branch: { default: null, max: null },
        bookmark: { default: null, max: null },
        warningLead: '1d',
      },
      expect: { ...adminOnly, shared: 403, admin: 200 },
    },
    {
      method: 'GET',
      path: `/branches/${b}/timeline`,
      expect: { ...hideBranch, owner: 200, admin: 200 },
    },
    {
      method: 'POST',
      path: `/branches/${b}/restore`,
      body: { pointId: ids.point },
      expect: hideBranch,
    },
    { method: 'POST', path: `/branches/${b}/reset`, expect: hideBranch },
    { method: 'POST', path: `/branches/${b}/bookmarks`, body: { name: 'x' }, expect: hideBranch },
    { method: 'GET', path: '/bookmarks', expect: anyUser },
    {
      method: 'GET',
      path: `/bookmarks/${pb}`,
      expect: { owner: 200, admin: 200, shared: 404, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'GET',
      path: `/bookmarks/${sb}`,
      expect: { owner: 200, admin: 200, shared: 200, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'PATCH',
      path: `/bookmarks/${sb}`,
      body: { description: 'd' },
      expect: { owner: 200, shared: 403, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'PATCH',
      path: `/bookmarks/${pb}`,
      body: { description: 'd' },
      expect: { shared: 404, other: 404 },
    },
    {
      method: 'DELETE',
      path: `/bookmarks/${sb}`,
      expect: { shared: 403, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'POST',
      path: `/bookmarks/${sb}/share`,
      body: { everyone: true },
      expect: { shared: 403, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'DELETE',
      path: `/bookmarks/${sb}/share`,
      expect: { shared: 403, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'GET',
      path: `/jobs/${ids.job}`,
      expect: { owner: 200, shared: 200, admin: 200, other: 404, none: 401, bad: 401 },
    },
    {
      method: 'GET',
      path: `/jobs?containerId=${c}`,
      expect: { owner: 200, shared: 200, admin: 200, other: 404, none: 401, bad: 401 },
    },
    { method: 'GET', path: '/jobs', expect: anyUser },
    { method: 'POST', path: '/reconciliation', expect: { ...adminOnly, admin: 200 } },
    { method: 'GET', path: '/usage', expect: anyUser },
    { method: 'GET', path: '/audit', expect: { ...adminOnly, admin: 200 } },
    { method: 'GET', path: '/reconciliation', expect: { ...adminOnly, admin: 200 } },
    { method: 'GET', path: '/reconciliation/orphans', expect: { ...adminOnly, admin: 200 } },
    // Admins pass the guard and meet validation: no body is a 400.
    {
      method: 'POST',
      path: '/reconciliation/orphans/destroy',
      expect: { ...adminOnly, admin: 400 },
    },
    { method: 'GET', path: '/metrics', expect: { ...adminOnly, admin: 200 } },
    { method: 'GET', path: '/health', expect: { none: 200, owner: 200 } },
  ];
}

describe('authorization matrix', () => {
  it('answers every route for every caller as expected', async () => {
    const mismatches: string[] = [];
    for (const route of matrix()) {
      for (const [actor, expected] of Object.entries(route.expect) as [Actor, number][]) {
        const { status, body } = await clients[actor].request(route.method, route.path, route.body);
        if (status !== expected)
          mismatches.push(
            `${actor} ${route.method} ${route.path}: ${status} (expected ${expected}) ${JSON.stringify(body)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lists a container to its owner and the user a bookmark is shared with, never to others', async () => {
    const listed = async (actor: Actor) =>
      (await clients[actor].expect<{ id: string }[]>(200, 'GET', '/containers')).some(
        (c) => c.id === ids.container,
      );
    expect(await listed('owner')).toBe(true);
    expect(await listed('shared')).toBe(true);
    expect(await listed('admin')).toBe(true);
    expect(await listed('other')).toBe(false);
  });

  it('shows a viewer no endpoints, branches or password', async () => {
    const view = await clients.shared.expect<ContainerView & { access: string }>(
      200,
      'GET',
      `/containers/${ids.container}`,
    );
    expect(view.access).toBe('viewer');
    expect(view.endpoints).toEqual([]);
    expect(view.branches).toEqual([]);
    const owner = await clients.owner.expect<ContainerView>(
      200,
      'GET',
      `/containers/${ids.container}`,
    );
    expect(owner.endpoints[0]!.password.length).toBeGreaterThan(10);
  });

  it("lists a container's jobs newest first, and the caller's own", async () => {
    const jobs = await clients.owner.expect<{ id: string; containerId: string }[]>(
      200,
      'GET',
      `/jobs?containerId=${ids.container}`,
    );
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(jobs.every((j) => j.containerId === ids.container)).toBe(true);
    expect(jobs.map((j) => j.id)).toContain(ids.job);
    expect(await clients.other.expect<unknown[]>(200, 'GET', '/jobs')).toEqual([]);
  });

  it('never shows the agent token of a host', async () => {
    const hosts = await clients.admin.expect<Record<string, unknown>[]>(200, 'GET', '/hosts');
    expect(JSON.stringify(hosts)).not.toContain(world.stack.agentToken);
    expect(hosts[0]).toMatchObject({ status: 'up' });
  });

  it('accepts an API token until it is revoked', async () => {
    const created = await clients.other.expect<{ id: string; token: string }>(
      201,
      'POST',
      '/tokens',
      { name: 'pipeline' },
    );
    const ci = clients.admin.as(created.token);
    expect((await ci.expect<{ username: string }>(200, 'GET', '/me')).username).toBe('other');
    const listed = await clients.other.expect<Record<string, unknown>[]>(200, 'GET', '/tokens');
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await clients.other.expect(204, 'DELETE', `/tokens/${created.id}`);
    expect((await ci.get('/me')).status).toBe(401);
  });

  it('serves the UI at / and the API docs without a token', async () => {
    const ui = await fetch(`${world.stack.baseUrl}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('Branchpoint UI');
    expect((await fetch(`${world.stack.baseUrl}/api/docs`)).status).toBe(200);
    const unknown = await fetch(`${world.stack.baseUrl}/api/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      code: 'route.not-found',
    });
  });

  it('lets a scraper read metrics with the metrics token', async () => {
    const scraper = clients.none.as(METRICS_TOKEN);
    expect((await scraper.get('/metrics')).status).toBe(200);
    expect((await scraper.get('/me')).status).toBe(401);
    expect((await clients.none.as('metrics-scraper-secreT').get('/metrics')).status).toBe(401);
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${world.stack.baseUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    expect(Object.keys(((await response.json()) as { paths: object }).paths)).toContain(
      '/api/v1/containers/{id}',
    );
  });
});

describe('bad input: a clear 4xx, never 5xx', () => {
  it('rejects malformed bodies, ids and queries with 400 or 404', async () => {
    const api = clients.owner;
    const missing = randomUUID();
    const cases: [string, string, unknown, number][] = [
      ['POST', '/containers', '{"name": ', 400],
      ['POST', '/containers', [], 400],
      ['POST', '/containers', { name: 'x', templateId: 'nope' }, 400],
      ['POST', '/containers', { name: 'x', templateId: missing }, 400],
      [
        'POST',
        '/containers',
        { name: 'x', templateId: world.templateId, fromBookmarkId: missing },
        404,
      ],
      ['POST', '/containers', { name: '', templateId: world.templateId }, 400],
      ['POST', '/containers', { name: 'x', templateId: world.templateId, extra: 1 }, 400],
      ['GET', '/containers/not-a-uuid', undefined, 400],
      ['GET', `/containers/${missing}`, undefined, 404],
      ['DELETE', '/containers/1', undefined, 400],
      ['POST', `/containers/${missing}/undo`, undefined, 404],
      ['PATCH', `/containers/${ids.container}`, { expiresAt: 'soon' }, 400],
      ['PATCH', `/containers/${ids.container}`, { expiresIn: 'soon' }, 400],
      ['PATCH', `/branches/${ids.branch}`, { expiresIn: '2h', expiresAt: null }, 400],
      ['PATCH', `/branches/${ids.branch}`, { protected: 'yes' }, 400],
      ['PATCH', `/containers/${ids.container}`, { name: ' lead' }, 400],
      ['POST', `/containers/${ids.container}/owners`, { userId: 'x' }, 400],
      ['POST', `/containers/${ids.container}/owners`, { userId: missing }, 400],
      ['DELETE', `/containers/${ids.container}/owners/zzz`, undefined, 400],
      ['POST', `/containers/${ids.container}/branches`, { name: 'has space' }, 400],
      [
        'POST',
        `/containers/${ids.container}/branches`,
        { name: 'x', fromBookmarkId: ids.privateBookmark, fromPointId: ids.point },
        400,
      ],
      ['POST', `/containers/${ids.container}/branches`, { name: 'x', fromPointId: missing }, 404],
      ['POST', `/containers/${ids.container}/branches`, { name: 'default' }, 409],
      ['GET', '/branches/%20/timeline', undefined, 400],
      ['POST', `/branches/${missing}/activate`, undefined, 404],
      ['POST', `/branches/${ids.branch}/restore`, {}, 400],
      ['POST', `/branches/${ids.branch}/restore`, { pointId: missing }, 404],
      ['POST', `/branches/${ids.branch}/restore`, { bookmarkId: 'x' }, 400],
      ['POST', `/branches/${ids.branch}/bookmarks`, { name: '' }, 400],
      ['POST', `/branches/${ids.branch}/bookmarks`, { name: 'x', tags: 'qa' }, 400],
      ['POST', `/branches/${ids.branch}/bookmarks`, { name: 'x', tags: ['bad tag'] }, 400],
      ['POST', `/branches/${ids.branch}/bookmarks`, { name: 'x', expiresAt: 'tomorrow' }, 400],
      ['DELETE', `/branches/${ids.branch}`, undefined, 409],
      ['GET', '/bookmarks?scope=everything', undefined, 400],
      ['GET', `/bookmarks/${missing}`, undefined, 404],
      ['PATCH', `/bookmarks/${ids.privateBookmark}`, { tags: [1] }, 400],
      ['POST', `/bookmarks/${ids.privateBookmark}/share`, {}, 400],
      ['POST', `/bookmarks/${ids.privateBookmark}/share`, { userIds: ['x'] }, 400],
      ['POST', `/bookmarks/${ids.privateBookmark}/share`, { userIds: [missing] }, 400],
      [
        'POST',
        `/bookmarks/${ids.privateBookmark}/share`,
        { userIds: [missing], everyone: true },
        400,
      ],
      ['GET', '/jobs/abc', undefined, 400],
      ['GET', '/jobs?containerId=abc', undefined, 400],
      ['GET', '/jobs?limit=1000', undefined, 400],
      ['GET', `/jobs/${missing}`, undefined, 404],
      ['POST', '/tokens', {}, 400],
      ['POST', '/tokens', { name: 42 }, 400],
      ['DELETE', '/tokens/x', undefined, 400],
      ['GET', `/templates/${missing}`, undefined, 404],
      ['GET', '/templates/xyz', undefined, 400],
    ];
    const adminCases: [string, string, unknown, number][] = [
      ['POST', '/users', { username: 'A B', password: 'short', role: 'root' }, 400],
      ['POST', '/users', { username: 'owner', password: 'taken-name-pass-2', role: 'user' }, 409],
      ['POST', '/users', { username: 'weak', password: 'qwerty123456', role: 'user' }, 400],
      ['POST', '/hosts', { name: '', url: 'ftp://x', token: '' }, 400],
      ['PATCH', `/hosts/${world.stack.hostId}`, { url: 'ftp://x' }, 400],
      ['PATCH', `/hosts/${world.stack.hostId}`, { url: 'http://127.0.0.1:7070' }, 400],
      ['PATCH', `/hosts/${world.stack.hostId}`, { fingerprint: 'AB:CD' }, 400],
      ['PATCH', `/hosts/${world.stack.hostId}`, { token: '' }, 400],
      ['PATCH', '/hosts/not-a-uuid', { token: 't' }, 400],
      ['POST', '/templates', { name: 'x', hostId: world.stack.hostId }, 400],
      [
        'POST',
        '/templates',
        {
          name: 'x',
          hostId: world.stack.hostId,
          sources: [{ name: 'a', kind: 'mysql', connectionString: 'postgres://a@b/c' }],
        },
        400,
      ],
      [
        'POST',
        '/templates',
        {
          name: 'x',
          hostId: world.stack.hostId,
          sources: [{ name: 'a', kind: 'postgres', connectionString: 'mysql://a@b/c' }],
        },
        400,
      ],
      [
        'POST',
        '/templates',
        {
          name: 'x',
          hostId: randomUUID(),
          sources: [{ name: 'a', kind: 'postgres', connectionString: 'postgres://a@b/c' }],
        },
        400,
      ],
      [
        'POST',
        '/templates',
        {
          name: 'x',
          hostId: world.stack.hostId,
          sources: [
            { name: 'a', kind: 'postgres', connectionString: 'postgres://a@b/c' },
            { name: 'a', kind: 'postgres', connectionString: 'postgres://a@b/c' },
          ],
        },
        400,
      ],
      ['GET', '/audit?limit=0', undefined, 400],
      ['POST', `/templates/${missing}/refresh`, undefined, 404],
    ];
    const mismatches: string[] = [];
    for (const [client, list] of [
      [api, cases],
      [clients.admin, adminCases],
    ] as const) {
      for (const [method, path, body, expected] of list) {
        const { status, body: answer } = await client.request(method, path, body);
        const shape = answer as { statusCode?: number; error?: string; message?: string };
        if (status !== expected || shape.statusCode !== status || !shape.error || !shape.message) {
          mismatches.push(
            `${method} ${path} ${JSON.stringify(body)}: ${status} ${JSON.stringify(answer)} (expected ${expected})`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers racing requests for the same name with one 202 and one 409', async () => {
    const race = await Promise.all(
      [1, 2].map(() =>
        clients.owner.request('POST', `/containers/${ids.container}/branches`, { name: 'twin' }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([202, 409]);
  });

  it('rejects malformed JSON on login with 400 and rate-limits repeated failures with 429', async () => {
    expect((await clients.none.request('POST', '/auth/login', '{"username":')).status).toBe(400);
    expect((await clients.none.request('POST', '/auth/login', { username: 'owner' })).status).toBe(
      400,
    );
    const attempt = async (i: number) =>
      (
        await clients.none.request('POST', '/auth/login', {
          username: 'shared',
          password: `wrong-${i}`,
        })
      ).status;
    for (let i = 0; i < 5; i++) expect(await attempt(i)).toBe(401);
    // Five free attempts; of a burst after them one is checked (and starts a delay), the rest wait.
    const burst = await Promise.all([5, 6, 7].map(attempt));
    expect(burst.sort()).toEqual([401, 429, 429]);
  });
});
