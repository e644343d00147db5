import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentError,
  AgentInventory,
  ContainerStatus,
  PointStatus,
} from '@branchpoint/contracts';
import { activeContainer, cloneQuery, startWorld, type CloneQuery, type World } from './harness.js';

const PASSWORD = 'timeline-password';

describe('points, restore, reset, branches and activation', () => {
  let world: World;
  let query: CloneQuery;
  let port: number;
  const B = '/v1/containers/qa/branches';
  const count = async () =>
    (await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n;

  beforeAll(async () => {
    world = await startWorld({ ports: '56100-56199', rows: 20, templateId: 'hr' });
    expect((await world.ingest('v1')).status).toBe(200);
    ({ port, query } = await activeContainer(world, { containerId: 'qa', password: PASSWORD }));
  });

  afterAll(() => world?.stop());

  it('takes a point of the running database, idempotently', async () => {
    await query("INSERT INTO items VALUES (100, 'edge case')");
    const point = await world.call<PointStatus>('PUT', `${B}/main/points/p1`);
    expect(point.status).toBe(200);
    expect(point.body).toMatchObject({ pointId: 'p1', held: false, dependentClones: [] });
    expect((await world.call<PointStatus>('PUT', `${B}/main/points/p1`)).body).toEqual(point.body);
    expect((await world.call<PointStatus>('GET', `${B}/main/points/p1`)).body).toEqual(point.body);
  });

  it('resets to the newest point', async () => {
    await query('DELETE FROM items');
    expect(await count()).toBe(0);
    const reset = await world.call('POST', `${B}/main/reset`);
    expect(reset.body).toEqual({ pointId: 'p1' });
    expect(await count()).toBe(21);
  });

  it('restores an older point into a new generation, keeping later points', async () => {
    await query('DELETE FROM items WHERE id > 10');
    await world.call('PUT', `${B}/main/points/p2`);
    expect(await count()).toBe(10);
    // The point after is taken in the same call, while the servers are stopped.
    const restore = { fromPointId: 'p1', afterPointId: 'a1' };
    const restored = await world.call('PUT', `${B}/main/generations/r1`, restore);
    expect(restored.status).toBe(200);
    expect(await count()).toBe(21);
    expect((await world.call('PUT', `${B}/main/generations/r1`, restore)).status).toBe(200);
    expect(await count()).toBe(21);
    const inventory = (await world.call<AgentInventory>('GET', '/v1/inventory')).body;
    expect(inventory.datasets.map((dataset) => dataset.name)).toContain(
      `${world.root}/containers/qa/main/r1/app-db@a1`,
    );
    // p2 (of the older generation) is still there and can be restored too.
    await world.call('PUT', `${B}/main/generations/r2`, { fromPointId: 'p2' });
    expect(await count()).toBe(10);
    // A late repeat of the first restore must not switch back to its generation.
    expect(
      await world.call('PUT', `${B}/main/generations/r1`, { fromPointId: 'p1' }),
    ).toMatchObject({
      status: 409,
      body: { code: 'conflict' },
    });
    expect(await count()).toBe(10);
    const status = await world.call<ContainerStatus>('GET', '/v1/containers/qa');
    expect(status.body.endpoints[0]).toMatchObject({ port, running: true });
  });

  it('re-clones a generation without points on reset', async () => {
    await query('DELETE FROM items');
    expect((await world.call('POST', `${B}/main/reset`)).body).toEqual({ pointId: 'p2' });
    expect(await count()).toBe(10);
  });

  it('activates another branch on the same port and back', async () => {
    // The first point is taken of the clone in the same call; a repeat changes nothing.
    const create = {
      origin: { kind: 'point', containerId: 'qa', branchId: 'main', pointId: 'p1' },
      firstPointId: 'f1',
    };
    for (let attempt = 0; attempt < 2; attempt++)
      expect((await world.call('PUT', `${B}/full`, create)).status).toBe(200);
    expect((await world.call('GET', `${B}/full/points/f1`)).status).toBe(200);
    const full = await world.call<ContainerStatus>('PUT', '/v1/containers/qa/active', {
      branchId: 'full',
    });
    expect(full.body).toMatchObject({
      activeBranchId: 'full',
      running: true,
      endpoints: [{ port }],
    });
    expect(await count()).toBe(21);
    await query("INSERT INTO items VALUES (200, 'only on full')");
    const main = await world.call<ContainerStatus>('PUT', '/v1/containers/qa/active', {
      branchId: 'main',
    });
    expect(main.body).toMatchObject({
      activeBranchId: 'main',
      running: true,
      endpoints: [{ port }],
    });
    expect(await count()).toBe(10);
    await world.call('PUT', '/v1/containers/qa/active', { branchId: 'full' });
    expect(await count()).toBe(22);
  });

  it('branches from a point of another container (bug hand-off)', async () => {
    await world.call('PUT', '/v1/containers/dev', {
      sources: [{ id: 'app-db', kind: 'postgres' }],
      password: 'dev-password-1',
    });
    await world.call('PUT', '/v1/containers/dev/branches/bug-4711', {
      origin: { kind: 'point', containerId: 'qa', branchId: 'main', pointId: 'p2' },
    });
    const dev = await world.call<ContainerStatus>('PUT', '/v1/containers/dev/active', {
      branchId: 'bug-4711',
    });
    expect(dev.body.endpoints[0]!.port).not.toBe(port);
    const devQuery = cloneQuery(dev.body.endpoints[0]!.port!, world.source.name, 'dev-password-1');
    expect((await devQuery<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(10);
    expect(
      (await world.call<PointStatus>('GET', `${B}/main/points/p2`)).body.dependentClones.sort(),
    ).toEqual([
      `${world.root}/containers/dev/bug-4711/g0/app-db`,
      `${world.root}/containers/qa/main/r2/app-db`,
    ]);
  });

  it('refuses to destroy what others depend on, naming the dependents', async () => {
    const point = await world.call<AgentError>('DELETE', `${B}/main/points/p2`);
    expect(point.status).toBe(409);
    expect(point.body.code).toBe('has-dependents');
    expect(point.body.message).toContain(`${world.root}/containers/dev/bug-4711/g0/app-db`);
    await world.call('PUT', '/v1/containers/qa/active', { branchId: 'full' });
    const branch = await world.call<AgentError>('DELETE', `${B}/main`);
    expect(branch).toMatchObject({ status: 409, body: { code: 'has-dependents' } });
    expect(branch.body.message).toContain('dev/bug-4711');
    const container = await world.call<AgentError>('DELETE', '/v1/containers/qa');
    expect(container).toMatchObject({ status: 409, body: { code: 'has-dependents' } });
    expect((await world.call<ContainerStatus>('GET', '/v1/containers/qa')).body.running).toBe(true);
    const active = await world.call<AgentError>('DELETE', `${B}/full`);
    expect(active).toMatchObject({ status: 409, body: { code: 'conflict' } });
  });

  it('holds a bookmarked point and releases it, idempotently', async () => {
    const hold = { containerId: 'qa', branchId: 'full', pointId: 'p3' };
    // A bookmark's point and its hold in one call; then the hold alone (reconciliation's repair).
    for (let attempt = 0; attempt < 2; attempt++)
      expect(
        await world.call<PointStatus>('PUT', `${B}/full/points/p3`, { holdTag: 'bm-1' }),
      ).toMatchObject({ status: 200, body: { pointId: 'p3', held: true } });
    expect((await world.call('PUT', '/v1/holds/bm-1', hold)).status).toBe(200);
    expect((await world.call<PointStatus>('GET', `${B}/full/points/p3`)).body.held).toBe(true);
    expect(await world.call('DELETE', `${B}/full/points/p3`)).toMatchObject({
      status: 409,
      body: { code: 'held' },
    });
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    expect(
      inventory.body.datasets.find(
        (dataset) => dataset.name === `${world.root}/containers/qa/full/g0@p3`,
      )?.userrefs,
    ).toBe(1);
    const release = '/v1/holds/bm-1?containerId=qa&branchId=full&pointId=p3';
    expect((await world.call('DELETE', release)).status).toBe(204);
    expect((await world.call('DELETE', release)).status).toBe(204);
    expect((await world.call('DELETE', `${B}/full/points/p3`)).status).toBe(204);
    expect((await world.call('DELETE', `${B}/full/points/p3`)).status).toBe(204);
    expect((await world.call('GET', `${B}/full/points/p3`)).status).toBe(404);
  });

  it('defers the destroy of a point with dependents', async () => {
    expect((await world.call('DELETE', `${B}/main/points/p2?defer=true`)).status).toBe(204);
    await world.call('DELETE', '/v1/containers/dev');
    expect((await world.call('GET', '/v1/containers/dev')).status).toBe(404);
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    // The point is gone for callers, but qa/main/r2 still depends on the source's snapshot: it stays until r2 is gone.
    expect(
      inventory.body.datasets.some(
        (dataset) => dataset.name === `${world.root}/containers/qa/main/g0/app-db@p2`,
      ),
    ).toBe(true);
    expect((await world.call('GET', `${B}/main/points/p2`)).status).toBe(404);
  });

  it('deletes a container whose branches and generations are clones of each other', async () => {
    expect(await world.call('DELETE', `${B}/main`)).toMatchObject({
      status: 409,
      body: { code: 'has-dependents' },
    });
    expect((await world.call('DELETE', '/v1/containers/qa')).status).toBe(204);
    expect((await world.call('DELETE', '/v1/containers/qa')).status).toBe(204);
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    expect(
      inventory.body.datasets.filter((dataset) => dataset.name.includes('/containers/')),
    ).toEqual([]);
    expect(inventory.body.instances).toEqual([]);
    await expect(count()).rejects.toThrow(/ECONNREFUSED/);
  });
});
