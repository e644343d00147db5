import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentFaultStep,
  AgentInventory,
  ContainerStatus,
  PointStatus,
} from '@branchpoint/contracts';
import { activeContainer, cloneQuery, startWorld, type CloneQuery, type World } from './harness.js';

const PASSWORD = 'faults-password';
const ROWS = 20;

/**
 * The agent killed (SIGKILL, by its own fault point) at a step boundary of an operation, started
 * again, and the interrupted call repeated: the repeat completes the operation.
 */
describe('an agent killed at a step boundary completes the call when it is repeated', () => {
  let world: World;
  let port: number;
  let query: CloneQuery;

  /**
   * Arms `step`, makes the call (its connection drops), starts the agent again, runs `meanwhile`
   * (to see the half-done state), repeats the call.
   */
  async function killedAt<T>(
    step: AgentFaultStep,
    method: string,
    route: string,
    body?: unknown,
    meanwhile?: () => Promise<void>,
  ): Promise<{ status: number; body: T }> {
    expect((await world.call('PUT', '/v1/test/fault', { step })).status).toBe(204);
    const first = await world.call(method, route, body).then(
      (answer) => `answered ${answer.status}`,
      () => 'dropped',
    );
    expect(first).toBe('dropped');
    await world.crashAndRestart();
    await meanwhile?.();
    return world.call<T>(method, route, body);
  }

  const count = async () =>
    (await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n;

  const propertiesOf = async (name: string) => {
    const inventory = (await world.call<AgentInventory>('GET', '/v1/inventory')).body;
    const dataset = inventory.datasets.find((candidate) => candidate.name === name);
    if (!dataset) throw new Error(`${name} is not in the inventory`);
    return dataset.properties;
  };

  const status = async () => (await world.call<ContainerStatus>('GET', '/v1/containers/c1')).body;

  beforeAll(async () => {
    world = await startWorld({
      ports: '56570-56599',
      rows: ROWS,
      templateId: 'crm',
      env: { BP_FAULT_INJECTION: 'on' },
    });
    expect((await world.ingest('v1')).status).toBe(200);
    ({ port, query } = await activeContainer(world, { containerId: 'c1', password: PASSWORD }));
    // A row only `main` has, to tell which branch the port serves.
    await query(`INSERT INTO items VALUES (${ROWS + 1}, 'only on main')`);
  });

  afterAll(() => world?.stop());

  it('branch.create:after-clone: the branch gets its generation', async () => {
    const answer = await killedAt(
      'branch.create:after-clone',
      'PUT',
      '/v1/containers/c1/branches/other',
      { origin: { kind: 'template', templateId: 'crm', version: 'v1' } },
      // Cloned, but without a generation: not a branch yet.
      async () =>
        expect(await propertiesOf(`${world.root}/containers/c1/other`)).not.toHaveProperty(
          'generation',
        ),
    );
    expect(answer.status).toBe(200);
    const inventory = (await world.call<AgentInventory>('GET', '/v1/inventory')).body;
    const branch = inventory.datasets.find(
      (dataset) => dataset.name === `${world.root}/containers/c1/other`,
    );
    expect(branch?.properties['generation']).toBe('g0');
    expect(
      inventory.datasets.some(
        (dataset) => dataset.name === `${world.root}/containers/c1/other/g0/${world.sourceId}`,
      ),
    ).toBe(true);
    expect((await status()).activeBranchId).toBe('main');
  });

  it('activate:after-switch: the target branch serves on the port, and only it', async () => {
    const answer = await killedAt<ContainerStatus>(
      'activate:after-switch',
      'PUT',
      '/v1/containers/c1/active',
      { branchId: 'other' },
      // Switched before the kill; the restarted agent started the new branch's servers.
      async () => expect(await status()).toMatchObject({ activeBranchId: 'other' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      activeBranchId: 'other',
      running: true,
      endpoints: [{ port, running: true }],
    });
    expect(await status()).toMatchObject({ activeBranchId: 'other', running: true });
    expect(await count()).toBe(ROWS);
    const instances = (await world.call<AgentInventory>('GET', '/v1/inventory')).body.instances;
    expect(instances).toEqual([
      expect.objectContaining({ containerId: 'c1', branchId: 'other', port, running: true }),
    ]);
  });

  it('point.create:after-snapshot: the point exists once', async () => {
    await query(`INSERT INTO items VALUES (${ROWS + 2}, 'in the point')`);
    const answer = await killedAt<PointStatus>(
      'point.create:after-snapshot',
      'PUT',
      '/v1/containers/c1/branches/other/points/p1',
      undefined,
      async () =>
        expect((await world.call('GET', '/v1/containers/c1/branches/other/points/p1')).status).toBe(
          200,
        ),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ pointId: 'p1', held: false });
    expect((await world.call('GET', '/v1/containers/c1/branches/other/points/p1')).status).toBe(
      200,
    );
  });

  it('restore:after-switch: the servers run again on the restored data', async () => {
    await query('DELETE FROM items');
    expect(await count()).toBe(0);
    const answer = await killedAt(
      'restore:after-switch',
      'PUT',
      '/v1/containers/c1/branches/other/generations/r1',
      // Killed before the point after: the repeat takes it.
      { fromPointId: 'p1', afterPointId: 'after1' },
      async () =>
        expect(await propertiesOf(`${world.root}/containers/c1/other`)).toMatchObject({
          generation: 'r1',
        }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ generationId: 'r1' });
    expect(await status()).toMatchObject({ activeBranchId: 'other', running: true });
    expect(await count()).toBe(ROWS + 1);
    const inventory = (await world.call<AgentInventory>('GET', '/v1/inventory')).body;
    expect(
      inventory.datasets.find((dataset) => dataset.name === `${world.root}/containers/c1/other`)
        ?.properties['generation'],
    ).toBe('r1');
    expect(inventory.datasets.map((dataset) => dataset.name)).toContain(
      `${world.root}/containers/c1/other/r1@after1`,
    );
  });

  it('container.delete:mid-destroy: nothing of the container is left', async () => {
    const answer = await killedAt(
      'container.delete:mid-destroy',
      'DELETE',
      '/v1/containers/c1',
      undefined,
      async () => expect(await propertiesOf(`${world.root}/containers/c1`)).toBeDefined(),
    );
    expect(answer.status).toBe(204);
    expect((await world.call('GET', '/v1/containers/c1')).status).toBe(404);
    const inventory = (await world.call<AgentInventory>('GET', '/v1/inventory')).body;
    expect(
      inventory.datasets.filter((dataset) => dataset.name.startsWith(`${world.root}/containers/`)),
    ).toEqual([]);
    expect(inventory.instances).toEqual([]);
    await expect(cloneQuery(port, world.source.name, PASSWORD)('SELECT 1')).rejects.toThrow();
  });

  it('answers 400 for a step that is not in the list', async () => {
    const answer = await world.call<{ message: string }>('PUT', '/v1/test/fault', {
      step: 'activate:sometime',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/body\.step/);
  });
});
