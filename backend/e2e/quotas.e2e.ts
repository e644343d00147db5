import type { ErrorBody } from '@branchpoint/contracts';
import type { ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, page } from './pages.js';
import {
  createContainer,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// Quotas and pagination (issue 11, point 8). Admins set a default limit for everyone and
// overrides per user; creating or starting beyond a limit answers 403 quota.exceeded naming the
// limit and its value, also when requests race; GET /usage shows each user their use against
// their limits. Lists answer pages (`limit`, `cursor`) with the next one in headers. One stack
// for both: the containers and bookmarks the quota tests make are what the pages list.

type User = { id: string; token: string; api: ApiClient };
type Limits = {
  containers: number | null;
  runningServers: number | null;
  branchesPerContainer: number | null;
  bookmarks: number | null;
};

const NONE: Limits = {
  containers: null,
  runningServers: null,
  branchesPerContainer: null,
  bookmarks: null,
};

let world: World;
let admin: ApiClient;
let alice: User;
let bob: User;
let first: ContainerView;

beforeAll(async () => {
  world = await startWorld('backend-quotas');
  admin = world.stack.api;
  alice = await world.stack.createUser('alice');
  bob = await world.stack.createUser('bob');
  await admin.expect(200, 'PUT', '/settings/quotas', {
    containers: 1,
    runningServers: null,
    branchesPerContainer: 2,
    bookmarks: 1,
  });
  first = await createContainer(alice.api, world.templateId, 'alice-1');
});

afterAll(async () => {
  await stopWorld(world);
});

const setOverrides = (user: User, limits: Partial<Limits>) =>
  admin.expect(200, 'PUT', `/users/${user.id}/quotas`, { ...NONE, ...limits });

/** Asserts a 403 quota.exceeded whose message starts with `message`. */
function refused(response: { status: number; body: unknown }, message: string): void {
  expect(response.status).toBe(403);
  const body = response.body as ErrorBody;
  expect(body.code).toBe('quota.exceeded');
  expect(body.message.startsWith(message)).toBe(true);
}

describe('who sets quotas', () => {
  it('only admins read or change the default and the overrides', async () => {
    const limits = { ...NONE, containers: 50 };
    for (const [method, path, body] of [
      ['GET', '/settings/quotas', undefined],
      ['PUT', '/settings/quotas', limits],
      ['GET', `/users/${alice.id}/quotas`, undefined],
      ['PUT', `/users/${alice.id}/quotas`, limits],
    ] as const) {
      const response = await alice.api.request<ErrorBody>(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.code).toBe('auth.admin-required');
    }
    expect(await admin.expect<Limits>(200, 'GET', '/settings/quotas')).toMatchObject({
      containers: 1,
    });
  });

  it('refuses a negative or fractional limit and an unknown user, naming the problem', async () => {
    const negative = await admin.request<ErrorBody>('PUT', '/settings/quotas', {
      ...NONE,
      containers: -1,
    });
    expect(negative.status).toBe(400);
    expect(negative.body.message).toMatch(/containers must not be less than 0/);
    const fraction = await admin.request<ErrorBody>('PUT', `/users/${bob.id}/quotas`, {
      ...NONE,
      bookmarks: 1.5,
    });
    expect(fraction.status).toBe(400);
    expect(fraction.body.message).toMatch(/bookmarks must be an integer/);
    const unknown = await admin.request<ErrorBody>(
      'PUT',
      '/users/00000000-0000-4000-8000-000000000000/quotas',
      NONE,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('user.not-found');
  });
});

describe('limits', () => {
  it('containers: the default refuses the next one, naming the limit', async () => {
    const response = await alice.api.request('POST', '/containers', {
      name: 'alice-2',
      templateId: world.templateId,
    });
    refused(response, 'limit of 1 container reached');
  });

  it('an override beats the default, and parallel creates cannot pass it together', async () => {
    await setOverrides(bob, { containers: 2 });
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        bob.api.request<{ jobId: string }>('POST', '/containers', {
          name: `bob-${n}`,
          templateId: world.templateId,
        }),
      ),
    );
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(2);
    for (const answer of answers.filter((a) => a.status !== 202))
      refused(answer, 'limit of 2 containers reached');
    for (const { body } of accepted)
      expect((await bob.api.waitForJob(body.jobId)).state).toBe('succeeded');
    const quotas = await admin.expect<{ defaults: Limits; overrides: Limits; effective: Limits }>(
      200,
      'GET',
      `/users/${bob.id}/quotas`,
    );
    expect(quotas.defaults.containers).toBe(1);
    expect(quotas.overrides.containers).toBe(2);
    expect(quotas.effective).toEqual({
      containers: 2,
      runningServers: null,
      branchesPerContainer: 2,
      bookmarks: 1,
    });
  });

  it('branches per container, the default branch included', async () => {
    await alice.api.operate('POST', `/containers/${first.id}/branches`, { name: 'second' });
    const response = await alice.api.request('POST', `/containers/${first.id}/branches`, {
      name: 'third',
    });
    refused(response, 'limit of 2 branches per container reached');
  });

  it('bookmarks: of parallel requests only as many as the limit are accepted', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        alice.api.request<{ jobId: string }>(
          'POST',
          `/branches/${first.activeBranchId}/bookmarks`,
          { name: `mark-${n}` },
        ),
      ),
    );
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 202))
      refused(answer, 'limit of 1 bookmark reached');
    expect((await alice.api.waitForJob(accepted[0]!.body.jobId)).state).toBe('succeeded');
    const later = await alice.api.request('POST', `/branches/${first.activeBranchId}/bookmarks`, {
      name: 'later',
    });
    refused(later, 'limit of 1 bookmark reached');
  });

  it('running servers: creating or starting a container needs room for its servers', async () => {
    await setOverrides(alice, { containers: 3, runningServers: 1 });
    const create = { name: 'alice-2', templateId: world.templateId };
    refused(
      await alice.api.request('POST', '/containers', create),
      'limit of 1 running server reached',
    );
    await alice.api.operate('POST', `/containers/${first.id}/stop`);
    const second = await createContainer(alice.api, world.templateId, 'alice-2');
    refused(
      await alice.api.request('POST', `/containers/${first.id}/start`),
      'limit of 1 running server reached',
    );
    await alice.api.operate('POST', `/containers/${second.id}/stop`);
    await alice.api.operate('POST', `/containers/${first.id}/start`);
  });
});

describe('the usage page', () => {
  it("shows each user their use against their limits; admins' changes apply at once", async () => {
    const usage = await alice.api.expect<{
      quotas: { kind: string; used: number; limit: number | null }[];
    }>(200, 'GET', '/usage');
    expect(usage.quotas).toEqual([
      { kind: 'containers', used: 2, limit: 3 },
      { kind: 'runningServers', used: 1, limit: 1 },
      { kind: 'branchesPerContainer', used: 2, limit: 2 },
      { kind: 'bookmarks', used: 1, limit: 1 },
    ]);
    await admin.expect(200, 'PUT', '/settings/quotas', NONE);
    const unlimited = await alice.api.expect<{ quotas: { limit: number | null }[] }>(
      200,
      'GET',
      '/usage',
    );
    expect(unlimited.quotas.map((q) => q.limit)).toEqual([3, 1, null, null]);
  });
});

describe('pagination', () => {
  it('containers: pages of `limit` join to the whole list, in order', async () => {
    const whole = await page(admin, '/containers');
    expect(whole.next).toBeNull();
    expect(whole.body.length).toBeGreaterThanOrEqual(4);
    const paged = await follow(admin, '/containers?limit=1');
    expect(paged.ids).toEqual(whole.body.map((c) => c.id));
    expect(paged.pages).toBe(whole.body.length);
    expect((await follow(admin, '/containers?limit=3')).ids).toEqual(paged.ids);
  });

  it('bookmarks: with filters kept in the next link, newest first', async () => {
    for (const name of ['more-1', 'more-2', 'more-3'])
      await alice.api.operate('POST', `/branches/${first.activeBranchId}/bookmarks`, { name });
    const whole = await page(alice.api, '/bookmarks?scope=mine');
    expect(whole.body).toHaveLength(4);
    expect(whole.body.map((b) => (b as unknown as { name: string }).name).slice(0, 3)).toEqual([
      'more-3',
      'more-2',
      'more-1',
    ]);
    const paged = await follow(alice.api, '/bookmarks?scope=mine&limit=3');
    expect(paged).toEqual({ ids: whole.body.map((b) => b.id), pages: 2 });
    expect((await follow(bob.api, '/bookmarks?scope=mine&limit=1')).ids).toEqual([]);
  });

  it('the timeline, branches and jobs page the same way', async () => {
    for (const path of [
      `/branches/${first.activeBranchId}/timeline`,
      `/containers/${first.id}/branches`,
      `/jobs?containerId=${first.id}`,
    ]) {
      const whole = await page(alice.api, path);
      expect(whole.body.length, path).toBeGreaterThanOrEqual(2);
      const joiner = path.includes('?') ? '&' : '?';
      expect((await follow(alice.api, `${path}${joiner}limit=1`)).ids, path).toEqual(
        whole.body.map((item) => item.id),
      );
    }
  });

  it('caps limit at 500 and refuses a cursor no page gave out, naming the problem', async () => {
    const over = await page(admin, '/containers?limit=501');
    expect(over.status).toBe(400);
    expect(over.body.message).toContain('limit must not be greater than 500');
    expect((await page(admin, '/containers?limit=500')).status).toBe(200);
    expect((await page(admin, '/bookmarks?limit=0')).status).toBe(400);
    for (const cursor of ['nonsense', Buffer.from('["x","y"]').toString('base64url')]) {
      const bad = await page(admin, `/bookmarks?cursor=${cursor}`);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('pagination.cursor-invalid');
    }
  });
});
