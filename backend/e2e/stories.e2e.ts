import type { AgentInventory } from '@branchpoint/contracts';
import type { ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMING_PREFIX } from '../src/common/job-log.js';
import {
  createContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

let world: World;
let alice: { id: string; api: ApiClient };
let bob: { id: string; api: ApiClient };
let qa: ContainerView;
let dev: ContainerView;
let edgeBookmarkId: string;
let bugBookmarkId: string;

const branchesOf = async (container: ContainerView) =>
  (
    await alice.api.expect<{ id: string; name: string }[]>(
      200,
      'GET',
      `/containers/${container.id}/branches`,
    )
  ).map(({ id, name }) => ({ id, name }));

/** What the agent holds, asked directly (not through the control plane). */
const agentDatasets = async () => {
  const response = await world.stack.agentFetch(`${world.stack.agentUrl}/v1/inventory`, {
    headers: { authorization: `Bearer ${world.stack.agentToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as AgentInventory).datasets;
};

const timeline = async (api: ApiClient, branchId: string) =>
  api.expect<{ id: string; type: string; bookmarkId?: string; templateVersion: string }[]>(
    200,
    'GET',
    `/branches/${branchId}/timeline`,
  );

/** The template version the container reports now: its active branch's. */
const reportedVersion = async (container: ContainerView) =>
  (await alice.api.expect<ContainerView>(200, 'GET', `/containers/${container.id}`))
    .templateVersion;

beforeAll(async () => {
  world = await startWorld('backend-stories');
  alice = await world.stack.createUser('alice');
  bob = await world.stack.createUser('bob');
});

afterAll(async () => {
  await stopWorld(world);
});

describe('story 1: QA bookmarks, destroys, restores and resets', () => {
  it('gives QA a private container with the source data on a fixed endpoint', async () => {
    qa = await createContainer(alice.api, world.templateId, 'qa-alice');
    expect(qa.endpoints).toHaveLength(1);
    expect(qa.endpoints[0]).toMatchObject({ source: 'app-db', host: '127.0.0.1' });
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus']);
    expect(qa.branches.map((b) => b.name)).toEqual(['default']);
  });

  it('bookmarks edge-case rows, survives a destructive test by restoring, and resets', async () => {
    await sql(qa, "INSERT INTO employees (name, salary) VALUES ('Edge O''Case', -1)");
    const { id, job } = await alice.api.operate(
      'POST',
      `/branches/${qa.activeBranchId}/bookmarks`,
      { name: 'after edge case data', tags: ['qa'] },
    );
    edgeBookmarkId = id!;
    // Its steps' durations follow as timing lines (TIMING_PREFIX).
    expect(job.log.filter((line) => !line.startsWith(TIMING_PREFIX))).toEqual([
      `bookmark “after edge case data” holds point ${job.result?.['pointId']}`,
    ]);

    await sql(qa, 'DELETE FROM employees');
    expect(await names(qa)).toEqual([]);

    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/restore`, {
      bookmarkId: edgeBookmarkId,
    });
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);

    await sql(qa, 'DELETE FROM employees');
    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/reset`);
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);

    const points = await timeline(alice.api, qa.activeBranchId);
    expect(points.map((p) => p.type)).toEqual([
      'created',
      'bookmark',
      'snapshot',
      'restore',
      'snapshot',
      'reset',
    ]);
    expect(points[1]!.bookmarkId).toBe(edgeBookmarkId);
  });

  it('undoes the reset, then undoes the undo', async () => {
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toEqual([]);
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);
  });
});

describe('story 2: a shared bug bookmark becomes a developer branch', () => {
  it('lets QA bookmark bug data with a reference and share it with the developer', async () => {
    await sql(qa, "INSERT INTO employees (name, salary) VALUES ('BUG-4711 row', 0)");
    const { id } = await alice.api.operate('POST', `/branches/${qa.activeBranchId}/bookmarks`, {
      name: 'BUG-4711 data',
      bugRef: 'BUG-4711',
      tags: ['bug'],
    });
    bugBookmarkId = id!;
    expect((await bob.api.get(`/bookmarks/${bugBookmarkId}`)).status).toBe(404);
    const shared = await alice.api.expect<{ visibility: string; sharedWith: string[] }>(
      200,
      'POST',
      `/bookmarks/${bugBookmarkId}/share`,
      { userIds: [bob.id] },
    );
    expect(shared).toMatchObject({ visibility: 'users', sharedWith: [bob.id] });
    const found = await bob.api.expect<{ id: string; bugRef: string; mine: boolean }[]>(
      200,
      'GET',
      '/bookmarks?scope=shared&q=4711',
    );
    expect(found.map((b) => b.id)).toEqual([bugBookmarkId]);
    expect(found[0]).toMatchObject({ bugRef: 'BUG-4711', mine: false });
  });

  it("branches the developer's container from it and activates it: same data, same endpoint, isolated both ways", async () => {
    dev = await createContainer(bob.api, world.templateId, 'dev-bob');
    const endpointBefore = dev.endpoints[0]!.connectionString;
    expect(await names(dev)).toEqual(['Ada', 'Grace', 'Linus']);

    const { id: branchId } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'bug-4711',
      fromBookmarkId: bugBookmarkId,
    });
    const started = Date.now();
    const { job } = await bob.api.operate('POST', `/branches/${branchId}/activate`);
    console.log(
      `branch activation took ${Date.now() - started} ms end to end (agent: ${String(job.result?.['durationMs'])} ms)`,
    );

    dev = await bob.api.expect<ContainerView>(200, 'GET', `/containers/${dev.id}`);
    expect(dev.activeBranchId).toBe(branchId);
    expect(dev.endpoints[0]!.connectionString).toBe(endpointBefore);
    expect(await names(dev)).toContain('BUG-4711 row');

    await sql(dev, "INSERT INTO employees (name, salary) VALUES ('bob was here', 1)");
    await sql(qa, "INSERT INTO employees (name, salary) VALUES ('alice was here', 1)");
    expect(await names(qa)).not.toContain('bob was here');
    expect(await names(dev)).not.toContain('alice was here');
  });

  it('switches the developer back to the default branch', async () => {
    const defaultBranch = dev.branches.find((b) => b.name === 'default')!;
    await bob.api.operate('POST', `/branches/${defaultBranch.id}/activate`);
    expect(await names(dev)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('refuses to delete what the developer branch depends on, naming it', async () => {
    const bookmark = await alice.api.delete(`/bookmarks/${bugBookmarkId}`);
    expect(bookmark.status).toBe(409);
    expect(bookmark.body).toMatchObject({ code: 'bookmark.has-dependents' });
    expect(JSON.stringify(bookmark.body)).toContain('bug-4711');
    const container = await alice.api.delete(`/containers/${qa.id}`);
    expect(container.status).toBe(409);
    expect(container.body).toMatchObject({ code: 'container.has-dependents' });
    expect(JSON.stringify(container.body)).toContain('dev-bob');
  });
});

describe('story 3: A/B branches with and without an index', () => {
  it('keeps an index on one branch only and switches between them on one connection string', async () => {
    const { id: withIndex } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'with-index',
    });
    const { id: withoutIndex } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'without-index',
    });
    const hasIndex = async () =>
      (await sql(dev, "SELECT 1 FROM pg_indexes WHERE indexname = 'employees_salary_idx'"))
        .length === 1;

    await bob.api.operate('POST', `/branches/${withIndex}/activate`);
    await sql(dev, 'CREATE INDEX employees_salary_idx ON employees (salary)');
    expect(await hasIndex()).toBe(true);

    await bob.api.operate('POST', `/branches/${withoutIndex}/activate`);
    expect(await hasIndex()).toBe(false);

    const started = Date.now();
    await bob.api.operate('POST', `/branches/${withIndex}/activate`);
    console.log(`A/B switch took ${Date.now() - started} ms end to end`);
    expect(await hasIndex()).toBe(true);

    const view = await bob.api.expect<ContainerView>(200, 'GET', `/containers/${dev.id}`);
    expect(view.branches.map((b) => b.name).sort()).toEqual([
      'bug-4711',
      'default',
      'with-index',
      'without-index',
    ]);
    expect(view.branches.find((b) => b.active)?.name).toBe('with-index');
  });
});

describe('story 4: refresh brings new source data and keeps bookmarks', () => {
  it('ingests a new template version and refreshes the container into it', async () => {
    await world.source.query("INSERT INTO employees (name, salary) VALUES ('New Hire', 80)");
    await world.stack.api.operate('POST', `/templates/${world.templateId}/refresh`);
    const template = await alice.api.expect<{ versions: { version: string; state: string }[] }>(
      200,
      'GET',
      `/templates/${world.templateId}`,
    );
    expect(template.versions.map((v) => `${v.version}:${v.state}`)).toEqual([
      'v1:ready',
      'v2:ready',
    ]);

    const branchesBefore = await branchesOf(qa);
    const { job } = await alice.api.operate('POST', `/containers/${qa.id}/refresh`);
    expect(job.log).toContain('refreshed to template version v2');
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', 'New Hire']);
    qa = await alice.api.expect<ContainerView>(200, 'GET', `/containers/${qa.id}`);
    expect(qa.templateVersion).toBe('v2');
    expect(qa.branches.find((b) => b.active)?.templateVersion).toBe('v2');
    expect(await branchesOf(qa)).toEqual(branchesBefore);
    expect(
      (await timeline(alice.api, qa.activeBranchId))
        .slice(-2)
        .map((p) => `${p.type}:${p.templateVersion}`),
    ).toEqual(['snapshot:v1', 'refresh:v2']);

    // On the agent: no branch beyond the container's own, and the active branch's new
    // generation is a clone of the template version itself.
    const datasets = await agentDatasets();
    const container = `${world.stack.zfsRoot}/containers/${qa.id}`;
    const branchDatasets = datasets
      .filter((d) => d.type === 'filesystem' && d.name.startsWith(`${container}/`))
      .map((d) => d.name.slice(container.length + 1))
      .filter((name) => !name.includes('/'));
    expect(branchDatasets.sort()).toEqual(branchesBefore.map((b) => b.id).sort());
    const dataset = (name: string) => datasets.find((d) => d.name === name);
    const active = `${container}/${qa.activeBranchId}`;
    const generation = dataset(`${active}/${dataset(active)?.properties['generation']}`);
    expect(generation?.properties['origin']).toBe(
      `${world.stack.zfsRoot}/templates/${world.templateId}@v2`,
    );

    const bookmarks = await alice.api.expect<{ id: string; templateVersion: string }[]>(
      200,
      'GET',
      '/bookmarks?scope=mine',
    );
    expect(bookmarks.map((b) => b.id).sort()).toEqual([edgeBookmarkId, bugBookmarkId].sort());
    expect(bookmarks.map((b) => b.templateVersion)).toEqual(['v1', 'v1']);
  });

  it('undoes the refresh back to v1, and the undo back to v2', async () => {
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toContain('alice was here');
    expect(await names(qa)).not.toContain('New Hire');
    expect(await reportedVersion(qa)).toBe('v1');

    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toContain('New Hire');
    expect(await reportedVersion(qa)).toBe('v2');
  });

  it('branches v1 data from a bookmark taken before the refresh; activating a branch switches the version', async () => {
    const { id: branchId } = await alice.api.operate('POST', `/containers/${qa.id}/branches`, {
      name: 'before-refresh',
      fromBookmarkId: edgeBookmarkId,
    });
    const versions = async () =>
      Object.fromEntries(
        (
          await alice.api.expect<{ name: string; templateVersion: string }[]>(
            200,
            'GET',
            `/containers/${qa.id}/branches`,
          )
        ).map((b) => [b.name, b.templateVersion]),
      );
    expect(await versions()).toEqual({ default: 'v2', 'before-refresh': 'v1' });
    expect(await reportedVersion(qa)).toBe('v2');

    await alice.api.operate('POST', `/branches/${branchId}/activate`);
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);
    expect(await reportedVersion(qa)).toBe('v1');

    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/activate`);
    expect(await names(qa)).toContain('New Hire');
    expect(await reportedVersion(qa)).toBe('v2');
  });

  it('restores the refreshed branch to a bookmark from before the refresh: v1 again', async () => {
    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/restore`, {
      bookmarkId: edgeBookmarkId,
    });
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);
    expect(await reportedVersion(qa)).toBe('v1');
    expect((await timeline(alice.api, qa.activeBranchId)).at(-1)).toMatchObject({
      type: 'restore',
      templateVersion: 'v1',
    });
  });
});

describe('lock: only the locker may operate', () => {
  it('refuses operations of a co-owner while locked, and allows them after unlock', async () => {
    await alice.api.expect(200, 'POST', `/containers/${qa.id}/owners`, { userId: bob.id });
    const locked = await alice.api.expect<ContainerView>(200, 'POST', `/containers/${qa.id}/lock`);
    expect(locked.lockedBy?.id).toBe(alice.id);

    for (const [method, path] of [
      ['POST', `/branches/${qa.activeBranchId}/reset`],
      ['POST', `/containers/${qa.id}/undo`],
      ['POST', `/branches/${qa.activeBranchId}/bookmarks`],
      ['POST', `/containers/${qa.id}/unlock`],
      ['DELETE', `/containers/${qa.id}`],
    ] as const) {
      const response = await bob.api.request(
        method,
        path,
        method === 'POST' && path.endsWith('bookmarks') ? { name: 'x' } : undefined,
      );
      expect(response.status, `${method} ${path}`).toBe(409);
      expect(response.body).toMatchObject({
        code: 'container.locked',
        message: expect.stringMatching(/locked/),
      });
    }

    await alice.api.expect(200, 'POST', `/containers/${qa.id}/unlock`);
    await bob.api.operate('POST', `/branches/${qa.activeBranchId}/reset`);
  });
});

describe('story 5: CI creates a container from a bookmark with an API token, tests, deletes it', () => {
  it('runs a pipeline against a throw-away container', async () => {
    const { token } = await alice.api.expect<{ token: string }>(201, 'POST', '/tokens', {
      name: 'ci',
    });
    const ci = alice.api.as(token);
    const container = await createContainer(ci, world.templateId, 'ci-run-1', edgeBookmarkId);
    expect(await names(container)).toEqual(['Ada', 'Grace', 'Linus', "Edge O'Case"]);
    // The bookmark's data is v1, although the template's newest version is v2.
    expect(container.templateVersion).toBe('v1');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const patched = await ci.expect<{ expiresAt: string }>(
      200,
      'PATCH',
      `/containers/${container.id}`,
      { expiresAt },
    );
    expect(patched.expiresAt).toBe(expiresAt);
    const kept = await ci.expect<{ expiresAt: string | null }>(
      200,
      'PATCH',
      `/containers/${container.id}`,
      { expiresAt: null },
    );
    expect(kept.expiresAt).toBeNull();
    await ci.operate('DELETE', `/containers/${container.id}`);
    expect((await ci.get(`/containers/${container.id}`)).status).toBe(404);
  });
});

describe('operations on one container run one at a time', () => {
  it('serializes concurrent operations and records each on the timeline', async () => {
    const accepted = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        alice.api.expect<{ jobId: string }>(
          202,
          'POST',
          `/branches/${qa.activeBranchId}/bookmarks`,
          { name: `concurrent ${name}` },
        ),
      ),
    );
    const jobs = await Promise.all(accepted.map((a) => alice.api.waitForJob(a.jobId)));
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const windows = jobs
      .map((j) => [Date.parse(j.startedAt!), Date.parse(j.finishedAt!)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < windows.length; i++)
      expect(windows[i]![0]).toBeGreaterThanOrEqual(windows[i - 1]![1]);
    const points = await timeline(alice.api, qa.activeBranchId);
    expect(points.filter((p) => p.type === 'bookmark').length).toBeGreaterThanOrEqual(5);
  });
});

describe('usage, metrics and reconciliation', () => {
  it('reports logical and physical bytes with a savings ratio', async () => {
    const usage = await alice.api.expect<{
      containers: { id: string; logicalBytes: number; physicalBytes: number }[];
      users: { name: string }[];
    }>(200, 'GET', '/usage');
    const mine = usage.containers.find((c) => c.id === qa.id)!;
    expect(mine.logicalBytes).toBeGreaterThan(0);
    expect(mine.physicalBytes).toBeGreaterThan(0);
    expect(usage.users.map((u) => u.name)).toEqual(['alice']);
    const all = await world.stack.api.expect<{
      total: { savingsRatio: number };
      templates: unknown[];
    }>(200, 'GET', '/usage');
    console.log(`usage: total savings ratio ${all.total.savingsRatio}`);
    expect(all.templates).toHaveLength(1);
  });

  it('exposes Prometheus metrics to admins', async () => {
    const metrics = await world.stack.api.expect<string>(200, 'GET', '/metrics');
    expect(metrics).toMatch(/branchpoint_jobs\{type="create-bookmark",state="succeeded"\} \d+/);
    expect(metrics).toMatch(/branchpoint_containers\{state="ready"\} 2/);
    expect(metrics).toMatch(/branchpoint_host_up\{host="[^"]+"\} 1/);
  });

  it('finds no drift between the metadata and the agent', async () => {
    const reports = await world.stack.api.expect<
      { divergences: unknown[]; orphans: unknown[]; error: string | null }[]
    >(200, 'POST', '/reconciliation');
    expect(reports).toEqual([
      expect.objectContaining({ error: null, divergences: [], orphans: [] }),
    ]);
  });

  it('records who did what in the audit log', async () => {
    const events = await world.stack.api.expect<{ action: string; userId: string }[]>(
      200,
      'GET',
      '/audit?limit=500',
    );
    expect(events.some((e) => e.action === 'bookmark.share' && e.userId === alice.id)).toBe(true);
    expect(events.some((e) => e.action === 'branch.activate' && e.userId === bob.id)).toBe(true);
  });
});

describe('deleting frees what nothing else needs', () => {
  it('deletes branches and containers once nothing depends on them', async () => {
    const branches = await bob.api.expect<{ id: string; name: string; active: boolean }[]>(
      200,
      'GET',
      `/containers/${dev.id}/branches`,
    );
    const active = branches.find((b) => b.active)!;
    const activeDelete = await bob.api.delete(`/branches/${active.id}`);
    expect(activeDelete.status).toBe(409);
    expect(activeDelete.body).toMatchObject({ code: 'branch.active' });
    const bug = branches.find((b) => b.name === 'bug-4711')!;
    await bob.api.operate('DELETE', `/branches/${bug.id}`);
    expect(
      (await bob.api.expect<{ name: string }[]>(200, 'GET', `/containers/${dev.id}/branches`)).map(
        (b) => b.name,
      ),
    ).not.toContain('bug-4711');

    await bob.api.operate('DELETE', `/containers/${dev.id}`);
    await alice.api.expect(204, 'DELETE', `/bookmarks/${bugBookmarkId}`);
    await alice.api.operate('DELETE', `/containers/${qa.id}`);
    expect((await alice.api.get(`/containers/${qa.id}`)).status).toBe(404);
    const reports = await world.stack.api.expect<{ orphans: unknown[]; divergences: unknown[] }[]>(
      200,
      'POST',
      '/reconciliation',
    );
    expect(reports[0]).toMatchObject({ orphans: [], divergences: [] });
  });
});
