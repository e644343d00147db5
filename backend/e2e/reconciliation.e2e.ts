import type { AgentInventory } from '@branchpoint/contracts';
import { withClient } from '@branchpoint/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

interface Report {
  hostId: string;
  error: string | null;
  divergences: { kind: string; subject: Record<string, string>; action: string }[];
  orphans: { key: string; dataset: string; pending: boolean; dependents: string[] }[];
}

let world: World;
let container: ContainerView;
let defaultId: string;
let featureId: string;
let bookmark: { id: string; branchId: string; pointId: string };
const orphanId = randomUUID();

/** Calls the agent directly, as an operator (or a crash) would change the host behind the catalog. */
function agent(path: string, method = 'GET', body?: unknown): Promise<Response> {
  return world.stack.agentFetch(`${world.stack.agentUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${world.stack.agentToken}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function inventory(): Promise<AgentInventory> {
  return (await agent('/v1/inventory')).json() as Promise<AgentInventory>;
}

async function reconcile(): Promise<Report> {
  const reports = await world.stack.api.expect<Report[]>(200, 'POST', '/reconciliation');
  const report = reports.find((r) => r.hostId === world.stack.hostId)!;
  expect(report.error).toBeNull();
  return report;
}

const pointSnapshot = (snapshots: AgentInventory['datasets'], pointId: string) =>
  snapshots.find((d) => d.name.endsWith(`@${pointId}`) && d.name.split('/').length === 6)!;

beforeAll(async () => {
  world = await startWorld('backend-reconcile', { clonePorts: { first: 57100, last: 57199 } });
  const api = world.stack.api;
  container = await createContainer(api, world.templateId, 'drift');
  defaultId = container.activeBranchId;
  const { id: bookmarkId } = await api.operate('POST', `/branches/${defaultId}/bookmarks`, {
    name: 'before-feature',
  });
  bookmark = await api.expect(200, 'GET', `/bookmarks/${bookmarkId}`);
  featureId = (
    await api.operate('POST', `/containers/${container.id}/branches`, {
      name: 'feature',
      fromBookmarkId: bookmarkId,
    })
  ).id!;
  await api.operate('POST', `/branches/${featureId}/activate`);
  await sql(container, "INSERT INTO employees (name, salary) VALUES ('Feature-only', 1)");
});

afterAll(async () => {
  await stopWorld(world);
});

describe('reconciliation', () => {
  it('finds nothing to do when the catalog and the host agree', async () => {
    const report = await reconcile();
    expect(report.divergences).toEqual([]);
    expect(report.orphans).toEqual([]);
  });

  it('repairs what the host proves, reports the rest and destroys nothing', async () => {
    const api = world.stack.api;
    // The catalog says default is active while the host serves feature.
    await withClient(world.stack.databaseUrl, (client) =>
      client.query('UPDATE container SET "activeBranchId" = $1 WHERE id = $2', [
        defaultId,
        container.id,
      ]),
    );
    expect((await getContainer(api, container.id)).activeBranchId).toBe(defaultId);
    // The bookmark's hold is released behind the catalog's back.
    const hold = new URLSearchParams({
      containerId: container.id,
      branchId: bookmark.branchId,
      pointId: bookmark.pointId,
    });
    expect((await agent(`/v1/holds/${bookmark.id}?${hold}`, 'DELETE')).ok).toBe(true);
    expect(pointSnapshot((await inventory()).datasets, bookmark.pointId).userrefs).toBe(0);
    // A point without a bookmark is destroyed by hand.
    const timeline = await api.expect<{ id: string; bookmarkId?: string | null }[]>(
      200,
      'GET',
      `/branches/${featureId}/timeline`,
    );
    const lost = timeline.find((p) => !p.bookmarkId)!;
    expect(
      (
        await agent(
          `/v1/containers/${container.id}/branches/${featureId}/points/${lost.id}`,
          'DELETE',
        )
      ).ok,
    ).toBe(true);
    // A container dataset the catalog never heard of.
    expect(
      (
        await agent(`/v1/containers/${orphanId}`, 'PUT', {
          sources: [{ id: randomUUID(), kind: 'postgres' }],
          password: 'orphan-password',
        })
      ).ok,
    ).toBe(true);

    const report = await reconcile();
    const summary = report.divergences.map((d) => `${d.kind}:${d.action}`).sort();
    expect(summary).toEqual(
      [
        'active-branch:repaired',
        'hold-missing:repaired',
        'point-missing:reported',
        'orphan:pending',
      ].sort(),
    );
    expect(report.divergences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'active-branch',
          subject: { containerId: container.id, containerName: 'drift' },
        }),
        expect.objectContaining({
          kind: 'hold-missing',
          subject: expect.objectContaining({ bookmarkId: bookmark.id, pointId: bookmark.pointId }),
        }),
        expect.objectContaining({
          kind: 'point-missing',
          subject: expect.objectContaining({ branchId: featureId, pointId: lost.id }),
        }),
      ]),
    );

    // The API now names the branch the host serves: the row only feature has is there.
    const view = await getContainer(api, container.id);
    expect(view.activeBranchId).toBe(featureId);
    expect(view.branches.find((b) => b.active)?.name).toBe('feature');
    expect(await names(view)).toContain('Feature-only');
    // The hold is back on the host, the orphan is still there.
    expect(pointSnapshot((await inventory()).datasets, bookmark.pointId).userrefs).toBeGreaterThan(
      0,
    );
    expect((await agent(`/v1/containers/${orphanId}`)).status).toBe(200);

    // One cycle converged: what remains is what only an admin decides.
    const again = await reconcile();
    expect(again.divergences.map((d) => `${d.kind}:${d.action}`).sort()).toEqual([
      'orphan:pending',
      'point-missing:reported',
    ]);
    const last = await api.expect<Report[]>(200, 'GET', '/reconciliation');
    expect(last.find((r) => r.hostId === world.stack.hostId)).toEqual(again);
  });

  it('destroys an orphan only on request, and refuses what is not one', async () => {
    const api = world.stack.api;
    const key = `container:${orphanId}`;
    const destroy = (keys: string[]) =>
      api.request('POST', '/reconciliation/orphans/destroy', { hostId: world.stack.hostId, keys });

    let orphans = await api.expect<Report['orphans']>(200, 'GET', '/reconciliation/orphans');
    expect(orphans).toEqual([expect.objectContaining({ key, pending: true, dependents: [] })]);
    const young = await destroy([key]);
    expect(young.status).toBe(409);
    expect(JSON.stringify(young.body)).toMatch(/less than a minute/);

    // As if it had been left behind long ago.
    execFileSync('zfs', [
      'set',
      'branchpoint:created-at=2020-01-01T00:00:00.000Z',
      orphans[0]!.dataset,
    ]);
    orphans = await api.expect<Report['orphans']>(200, 'GET', '/reconciliation/orphans');
    expect(orphans).toEqual([expect.objectContaining({ key, pending: false })]);

    const known = await destroy([key, `container:${container.id}`]);
    expect(known.status).toBe(409);
    expect(JSON.stringify(known.body)).toContain(`container:${container.id} is not an orphan`);
    expect((await agent(`/v1/containers/${orphanId}`)).status).toBe(200);
    const bad = await destroy(['container:../etc']);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/container:<id> or template:<id>/);

    expect(
      await api.expect(200, 'POST', '/reconciliation/orphans/destroy', {
        hostId: world.stack.hostId,
        keys: [key],
      }),
    ).toEqual({ hostId: world.stack.hostId, destroyed: [key] });
    expect((await agent(`/v1/containers/${orphanId}`)).status).toBe(404);
    const audit = await api.expect<{ action: string; entityId: string }[]>(
      200,
      'GET',
      '/audit?limit=100',
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'orphan.destroy', entityId: orphanId }),
    );
    expect((await reconcile()).orphans).toEqual([]);
    expect(await names(container)).toContain('Feature-only');
  });
});
