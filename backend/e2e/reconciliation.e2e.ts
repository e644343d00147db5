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

interface Orphan {
  key: string;
  dataset: string;
  datasets: string[];
  installation: string | null;
  pending: boolean;
  dependents: string[];
  verdict: string;
  reason: string;
  fingerprint: string;
}

interface Report {
  installationId: string;
  hostId: string;
  error: string | null;
  divergences: { kind: string; subject: Record<string, string>; action: string }[];
  orphans: Orphan[];
}

/** Another control plane's installation id, as its agent calls would carry it. */
const OTHER_INSTALLATION = 'other-installation-1';

let world: World;
let container: ContainerView;
let defaultId: string;
let featureId: string;
let bookmark: { id: string; branchId: string; pointId: string };
const orphanId = randomUUID();

/**
 * Calls the agent directly, as an operator (or a crash) would change the host behind the
 * catalog; with `installation`, as that installation's control plane would.
 */
function agent(
  path: string,
  method = 'GET',
  body?: unknown,
  installation?: string,
): Promise<Response> {
  return world.stack.agentFetch(`${world.stack.agentUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${world.stack.agentToken}`,
      'content-type': 'application/json',
      ...(installation ? { 'x-branchpoint-installation': installation } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

/** `<root>/containers`, learnt from the first orphan. */
let containersDataset = '';
const datasetOf = (containerId: string) => `${containersDataset}/${containerId}`;

const exists = async (containerId: string) =>
  (await agent(`/v1/containers/${containerId}`)).status === 200;

/** As if the dataset had been made long ago (past any grace period). */
const age = (dataset: string) =>
  execFileSync('zfs', ['set', 'branchpoint:created-at=2020-01-01T00:00:00.000Z', dataset]);

const preview = (api = world.stack.api) =>
  api.expect<Orphan[]>(200, 'GET', '/reconciliation/orphans');

const destroy = (orphans: { key: string; fingerprint: string }[]) =>
  world.stack.api.request<{ jobId: string; message: string }>(
    'POST',
    '/reconciliation/orphans/destroy',
    { hostId: world.stack.hostId, orphans },
  );

/** The catalog forgets a container: its rows, and with `everything` its jobs and audit entries too. */
async function forget(containerId: string, everything = false): Promise<void> {
  await withClient(world.stack.databaseUrl, async (client) => {
    for (const table of ['bookmark', 'point', 'branch'])
      await client.query(`DELETE FROM "${table}" WHERE "containerId" = $1`, [containerId]);
    await client.query('DELETE FROM container WHERE id = $1', [containerId]);
    if (everything) {
      await client.query('DELETE FROM job WHERE "containerId" = $1', [containerId]);
      await client.query('DELETE FROM audit_event WHERE "entityId" = $1', [containerId]);
    }
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

  it('claims a dataset the catalog knows that was made before installation ids', async () => {
    const top = (await inventory()).datasets.find((d) => d.name.endsWith(`/${container.id}`))!;
    const { installationId } = await reconcile();
    expect(top.properties['installation']).toBe(installationId);
    execFileSync('zfs', ['inherit', 'branchpoint:installation', top.name]);
    const report = await reconcile();
    expect(report.divergences).toEqual([
      expect.objectContaining({
        kind: 'installation-missing',
        action: 'repaired',
        subject: expect.objectContaining({ containerId: container.id }),
      }),
    ]);
    const again = (await inventory()).datasets.find((d) => d.name === top.name)!;
    expect(again.properties['installation']).toBe(installationId);
    expect((await reconcile()).divergences).toEqual([]);
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

  it('reports an orphan and never destroys it by itself, even long past the old grace period', async () => {
    const key = `container:${orphanId}`;
    let orphans = await preview();
    expect(orphans).toEqual([expect.objectContaining({ key, pending: true, dependents: [] })]);
    containersDataset = orphans[0]!.dataset.slice(0, -orphanId.length - 1);
    age(orphans[0]!.dataset);
    await reconcile();
    expect(await exists(orphanId)).toBe(true);
    // Made by hand through the agent, without an installation id: the catalog never knew it.
    orphans = await preview();
    expect(orphans).toEqual([
      expect.objectContaining({
        key,
        pending: false,
        installation: null,
        verdict: 'unknown-to-catalog',
        reason: expect.stringMatching(/no installation id.*POST \/recovery adopts it/),
      }),
    ]);
    const refused = await destroy([{ key, fingerprint: orphans[0]!.fingerprint }]);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`${key} is not destroyable (unknown-to-catalog)`);
    expect(await exists(orphanId)).toBe(true);
  });

  it('destroys exactly the confirmed list as a job, and refuses a stale, foreign or known one', async () => {
    const api = world.stack.api;
    // Two containers the catalog made and then lost track of (their rows gone, their jobs kept).
    const lost = [
      await createContainer(api, world.templateId, 'lost-1'),
      await createContainer(api, world.templateId, 'lost-2'),
    ];
    for (const c of lost) await forget(c.id);
    // A container of another control plane on the same agent.
    const foreignId = randomUUID();
    const made = await agent(
      `/v1/containers/${foreignId}`,
      'PUT',
      { sources: [{ id: randomUUID(), kind: 'postgres' }], password: 'foreign-password' },
      OTHER_INSTALLATION,
    );
    expect(made.status).toBe(200);
    for (const id of [...lost.map((c) => c.id), foreignId]) age(datasetOf(id));
    const report = await reconcile();
    expect(report.divergences).toContainEqual(
      expect.objectContaining({
        kind: 'foreign',
        subject: expect.objectContaining({ containerId: foreignId }),
      }),
    );
    let orphans = report.orphans;
    const byKey = (key: string) => orphans.find((o) => o.key === key)!;
    const [one, two] = lost.map((c) => byKey(`container:${c.id}`));
    for (const o of [one, two])
      expect(o).toMatchObject({ verdict: 'destroyable', installation: report.installationId });
    expect(one!.datasets[0]).toBe(one!.dataset);
    const foreign = byKey(`container:${foreignId}`);
    expect(foreign).toMatchObject({
      verdict: 'foreign',
      installation: OTHER_INSTALLATION,
      reason: expect.stringContaining(`installation ${OTHER_INSTALLATION}`),
    });

    // The second changed after the preview; another installation's; one the catalog references:
    // each is named, and nothing at all is destroyed.
    execFileSync('zfs', ['snapshot', `${two!.dataset}@after-preview`]);
    const refused = await destroy([
      { key: one!.key, fingerprint: one!.fingerprint },
      { key: two!.key, fingerprint: two!.fingerprint },
      { key: foreign.key, fingerprint: foreign.fingerprint },
      { key: `container:${container.id}`, fingerprint: one!.fingerprint },
    ]);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`${two!.key} changed since the preview`);
    expect(refused.body.message).toContain(`${foreign.key} is not destroyable (foreign)`);
    expect(refused.body.message).toContain(`container:${container.id} is not an orphan`);
    expect(refused.body.message).not.toContain(`${one!.key} `);
    const bad = await destroy([{ key: 'container:../etc', fingerprint: one!.fingerprint }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/container:<id> or template:<id>/);
    for (const c of lost) expect(await exists(c.id)).toBe(true);

    // The agent itself refuses this installation the other's container.
    const direct = await agent(
      `/v1/containers/${foreignId}`,
      'DELETE',
      undefined,
      report.installationId,
    );
    expect(direct.status).toBe(409);
    expect(await direct.json()).toMatchObject({ code: 'foreign-installation' });

    // Confirmed as previewed: exactly that one goes, in a job; the other stays.
    const accepted = await destroy([{ key: one!.key, fingerprint: one!.fingerprint }]);
    expect(accepted.status).toBe(202);
    const job = await api.waitForJob(accepted.body.jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      type: 'destroy-orphans',
      result: { destroyed: [one!.key] },
    });
    expect(await exists(lost[0]!.id)).toBe(false);
    for (const id of [lost[1]!.id, foreignId, orphanId]) expect(await exists(id)).toBe(true);
    const audit = await api.expect<{ action: string; entityId: string }[]>(
      200,
      'GET',
      '/audit?limit=200',
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'orphan.destroy', entityId: lost[0]!.id }),
    );
    orphans = await preview();
    expect(orphans.map((o) => o.key).sort()).toEqual(
      [two!.key, foreign.key, `container:${orphanId}`].sort(),
    );
    expect(await names(container)).toContain('Feature-only');
  });

  it('leaves datasets newer than a restored older catalog intact, and recovery adopts them', async () => {
    const api = world.stack.api;
    const newer = await createContainer(api, world.templateId, 'after-backup');
    await sql(newer, "INSERT INTO employees (name, salary) VALUES ('After-backup', 2)");
    // The metadata as a backup from before it was made: no row, no job, no audit entry.
    await forget(newer.id, true);
    age(datasetOf(newer.id));
    const orphan = (await reconcile()).orphans.find((o) => o.key === `container:${newer.id}`)!;
    expect(orphan).toMatchObject({
      verdict: 'unknown-to-catalog',
      reason: expect.stringContaining('newer than the metadata'),
    });
    const refused = await destroy([{ key: orphan.key, fingerprint: orphan.fingerprint }]);
    expect(refused.status).toBe(409);
    expect(await exists(newer.id)).toBe(true);

    // Recovery adopts it, and never another installation's.
    const recovered = await api.expect<{
      adopted: { kind: string; id: string }[];
      skipped: { kind: string; id: string; reason: string }[];
    }>(200, 'POST', '/recovery', {});
    expect(recovered.adopted).toContainEqual(
      expect.objectContaining({ kind: 'container', id: newer.id }),
    );
    expect(recovered.skipped).toContainEqual(
      expect.objectContaining({
        kind: 'container',
        reason: expect.stringContaining(`installation ${OTHER_INSTALLATION}`),
      }),
    );
    const view = await getContainer(api, newer.id);
    expect(await names(view)).toContain('After-backup');
  });

  it('refuses to register the same agent as a second host, naming the first', async () => {
    const api = world.stack.api;
    const hosts = await api.expect<{ id: string; name: string; agentId: string | null }[]>(
      200,
      'GET',
      '/hosts',
    );
    const first = hosts.find((h) => h.id === world.stack.hostId)!;
    expect(first.agentId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await api.request<{ code: string; message: string }>('POST', '/hosts', {
      name: 'same-agent-again',
      url: world.stack.agentUrl,
      token: world.stack.agentToken,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('host.agent-registered');
    expect(again.body.message).toContain(`host "${first.name}"`);
    expect((await api.expect<unknown[]>(200, 'GET', '/hosts')).length).toBe(hosts.length);
  });

  it('leaves a host registered twice before the check alone: down, never reconciled', async () => {
    const api = world.stack.api;
    const twinId = randomUUID();
    // As an older control plane allowed: a second row for the same agent (same address and token).
    await withClient(world.stack.databaseUrl, (client) =>
      client.query(
        `INSERT INTO host (id, name, url, token, "certificateFingerprint", status)
         SELECT $1, 'twin', url, token, "certificateFingerprint", 'unknown' FROM host WHERE id = $2`,
        [twinId, world.stack.hostId],
      ),
    );
    try {
      const reports = await api.expect<Report[]>(200, 'POST', '/reconciliation');
      const twin = reports.find((r) => r.hostId === twinId)!;
      expect(twin.error).toMatch(/registered as host ".*" too: not reconciled/);
      expect(twin.orphans).toEqual([]);
      const first = reports.find((r) => r.hostId === world.stack.hostId)!;
      expect(first.error).toBeNull();
      expect(first.orphans.map((o) => o.key)).not.toContain(`container:${container.id}`);
      const edit = await api.request<{ code: string }>('PATCH', `/hosts/${twinId}`, {
        token: world.stack.agentToken,
      });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('host.agent-registered');
      await expect
        .poll(
          async () =>
            (
              await api.expect<{ id: string; status: string; lastError: string | null }[]>(
                200,
                'GET',
                '/hosts',
              )
            ).find((h) => h.id === twinId),
          { timeout: 20_000, interval: 1_000 },
        )
        .toMatchObject({
          status: 'down',
          lastError: expect.stringContaining('registered already'),
        });
      expect(await exists(container.id)).toBe(true);
    } finally {
      await withClient(world.stack.databaseUrl, (client) =>
        client.query('DELETE FROM host WHERE id = $1', [twinId]),
      );
    }
  });
});
