import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentInventory,
  ContainerStatus,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import { activeContainer, cloneQuery, startWorld, withoutSpace, type World } from './harness.js';

const PASSWORD = 'restart-password';

describe('an agent killed mid-operation and restarted', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ ports: '56200-56299', rows: 30, templateId: 'crm' });
  });

  afterAll(() => world?.stop());

  it('reports ingest progress, and a repeated ingest completes after a crash', async () => {
    const pending = world.ingest('v1').catch(() => null);
    let seen: TemplateVersionStatus | null = null;
    for (let i = 0; i < 200 && !seen; i++) {
      const status = await world.call<TemplateVersionStatus>(
        'GET',
        '/v1/templates/crm/versions/v1',
      );
      if (status.status === 200 && status.body.state === 'ingesting') seen = status.body;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toMatchObject({ state: 'ingesting', sources: [{ id: 'app-db' }] });
    expect(seen!.progress).toBeGreaterThanOrEqual(0);
    await world.crashAndRestart();
    await pending;
    const after = await world.ingest('v1');
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ state: 'ready', progress: 100 });
  });

  it('sees the same containers and servers after a restart, and the servers keep serving', async () => {
    const { status, query } = await activeContainer(world, {
      containerId: 'ops',
      password: PASSWORD,
    });
    await world.call('PUT', '/v1/containers/ops/branches/other', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    await query("INSERT INTO items VALUES (500, 'written before the crash')");
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    expect(inventory.body.instances).toEqual([
      expect.objectContaining({ containerId: 'ops', branchId: 'main', running: true }),
    ]);

    await world.crashAndRestart(async () => {
      expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(31);
    });

    expect((await world.call('GET', '/v1/containers/ops')).body).toEqual(status);
    // Space numbers move on their own (server writes, ZFS settling); everything else is the same.
    expect(withoutSpace((await world.call<AgentInventory>('GET', '/v1/inventory')).body)).toEqual(
      withoutSpace(inventory.body),
    );
    expect(
      (await query<{ label: string }>('SELECT label FROM items WHERE id = 500'))[0]?.label,
    ).toBe('written before the crash');
  });

  it('completes an activation interrupted by a crash when it is repeated', async () => {
    const port = (await world.call<ContainerStatus>('GET', '/v1/containers/ops')).body.endpoints[0]!
      .port!;
    const interrupted = world
      .call('PUT', '/v1/containers/ops/active', { branchId: 'other' })
      .catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await world.crashAndRestart();
    await interrupted;
    const done = await world.call<ContainerStatus>('PUT', '/v1/containers/ops/active', {
      branchId: 'other',
    });
    expect(done.body).toMatchObject({
      activeBranchId: 'other',
      running: true,
      endpoints: [{ port, running: true }],
    });
    const query = cloneQuery(port, world.source.name, PASSWORD);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(30);
    const instances = (await world.call<AgentInventory>('GET', '/v1/inventory')).body.instances;
    expect(instances).toEqual([
      expect.objectContaining({ containerId: 'ops', branchId: 'other', port, running: true }),
    ]);
  });

  it('completes a restore interrupted by a crash when it is repeated', async () => {
    const port = (await world.call<ContainerStatus>('GET', '/v1/containers/ops')).body.endpoints[0]!
      .port!;
    const query = cloneQuery(port, world.source.name, PASSWORD);
    await world.call('PUT', '/v1/containers/ops/branches/other/points/before');
    await query('DELETE FROM items');
    const interrupted = world
      .call('PUT', '/v1/containers/ops/branches/other/generations/r1', {
        fromPointId: 'before',
      })
      .catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await world.crashAndRestart();
    await interrupted;
    expect(
      (
        await world.call('PUT', '/v1/containers/ops/branches/other/generations/r1', {
          fromPointId: 'before',
        })
      ).status,
    ).toBe(200);
    expect((await world.call<ContainerStatus>('GET', '/v1/containers/ops')).body.running).toBe(
      true,
    );
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(30);
  });
});
