import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentInventory, CatalogTarget } from '@branchpoint/contracts';
import { activeContainer, startWorld, type World } from './harness.js';

/** The `branchpoint:*` properties the inventory reports for one dataset or snapshot. */
async function propertiesOf(world: World, name: string): Promise<Record<string, string>> {
  const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
  const dataset = inventory.body.datasets.find((candidate) => candidate.name === name);
  if (!dataset) throw new Error(`${name} is not in the inventory`);
  return dataset.properties;
}

describe('catalog records and hold tags kept on the host', () => {
  let world: World;
  let container: string;

  beforeAll(async () => {
    world = await startWorld({ ports: '56550-56569', rows: 5, templateId: 'crm' });
    expect((await world.ingest('v1')).status).toBe(200);
    await activeContainer(world, { containerId: 'c1', password: 'catalog-password' });
    expect((await world.call('PUT', '/v1/containers/c1/branches/main/points/p1')).status).toBe(200);
    container = `${world.root}/containers/c1`;
  });

  afterAll(() => world?.stop());

  it('writes each kind of record on its dataset or snapshot, and the inventory shows it', async () => {
    const targets: [CatalogTarget, string][] = [
      [{ kind: 'template', templateId: 'crm' }, `${world.root}/templates/crm`],
      [
        { kind: 'template-version', templateId: 'crm', version: 'v1' },
        `${world.root}/templates/crm@v1`,
      ],
      [{ kind: 'container', containerId: 'c1' }, container],
      [{ kind: 'branch', containerId: 'c1', branchId: 'main' }, `${container}/main`],
      [
        { kind: 'point', containerId: 'c1', branchId: 'main', pointId: 'p1' },
        `${container}/main/g0@p1`,
      ],
    ];
    for (const [target, name] of targets) {
      const record = { v: 1, name: `the ${target.kind}`, note: 'tabs\tand "quotes", ünïcode' };
      const answer = await world.call('PUT', '/v1/catalog', { target, record });
      expect(answer.status, JSON.stringify(answer.body)).toBe(204);
      const properties = await propertiesOf(world, name);
      expect(JSON.parse(properties['catalog'] ?? 'null')).toEqual(record);
    }
    // Children inherit the container's property; the inventory reports only their own.
    expect((await propertiesOf(world, `${container}/main/g0`))['catalog']).toBeUndefined();
  });

  it('replaces a record, and a repeat of the same one succeeds', async () => {
    const target = { kind: 'branch', containerId: 'c1', branchId: 'main' };
    for (const record of [
      { v: 1, name: 'renamed' },
      { v: 1, name: 'renamed' },
    ]) {
      expect((await world.call('PUT', '/v1/catalog', { target, record })).status).toBe(204);
    }
    expect((await propertiesOf(world, `${container}/main`))['catalog']).toBe(
      '{"v":1,"name":"renamed"}',
    );
  });

  it('records the hold tags of a point, sorted, and drops them on release', async () => {
    const point = { containerId: 'c1', branchId: 'main', pointId: 'p1' };
    const release = (tag: string) =>
      world.call('DELETE', `/v1/holds/${tag}?${new URLSearchParams(point).toString()}`);
    const snapshot = `${container}/main/g0@p1`;
    const userrefs = async () =>
      (await world.call<AgentInventory>('GET', '/v1/inventory')).body.datasets.find(
        (d) => d.name === snapshot,
      )?.userrefs;
    for (const tag of ['zz-hold', 'aa-hold', 'zz-hold'])
      expect((await world.call('PUT', `/v1/holds/${tag}`, point)).status).toBe(200);
    expect((await propertiesOf(world, snapshot))['holds']).toBe('aa-hold,zz-hold');
    // Both tags share the point's one zfs hold, which stays while either is recorded.
    expect(await userrefs()).toBe(1);
    expect((await release('zz-hold')).status).toBe(204);
    expect((await propertiesOf(world, snapshot))['holds']).toBe('aa-hold');
    expect(await userrefs()).toBe(1);
    expect((await world.call('DELETE', '/v1/containers/c1/branches/main/points/p1')).status).toBe(
      409,
    );
    expect((await release('aa-hold')).status).toBe(204);
    expect((await release('aa-hold')).status).toBe(204);
    expect((await propertiesOf(world, snapshot))['holds']).toBeUndefined();
    expect(await userrefs()).toBe(0);
  });

  it('releases a hold named after its tag, as points were held before tags shared one hold', async () => {
    const point = { containerId: 'c1', branchId: 'main', pointId: 'p1' };
    const snapshot = `${container}/main/g0@p1`;
    const release = (tag: string) =>
      world.call('DELETE', `/v1/holds/${tag}?${new URLSearchParams(point).toString()}`);
    for (const tag of ['old-a', 'old-b']) {
      await execa('zfs', ['set', `branchpoint:holds=old-a,old-b`, snapshot]);
      await execa('zfs', ['hold', '-r', tag, snapshot]);
    }
    expect((await release('old-a')).status).toBe(204);
    expect((await world.call('PUT', '/v1/holds/new-c', point)).status).toBe(200);
    expect((await release('old-b')).status).toBe(204);
    expect((await propertiesOf(world, snapshot))['holds']).toBe('new-c');
    expect((await release('new-c')).status).toBe(204);
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    const snapshots = inventory.body.datasets.filter((d) => d.name.endsWith('@p1'));
    expect(snapshots.map((d) => [d.name, d.userrefs])).toEqual(snapshots.map((d) => [d.name, 0]));
  });

  it.each([
    [{ kind: 'template', templateId: 'nope' }, /template nope does not exist/],
    [{ kind: 'template-version', templateId: 'crm', version: 'v9' }, /version v9 does not exist/],
    [{ kind: 'container', containerId: 'c9' }, /container c9 does not exist/],
    [{ kind: 'branch', containerId: 'c1', branchId: 'b9' }, /branch b9 .* does not exist/],
    [
      { kind: 'point', containerId: 'c1', branchId: 'main', pointId: 'p9' },
      /point p9 .* does not exist/,
    ],
  ])('answers 404 for a record on a missing %o', async (target, message) => {
    const answer = await world.call<{ code: string; message: string }>('PUT', '/v1/catalog', {
      target,
      record: { v: 1 },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('not-found');
    expect(answer.body.message).toMatch(message);
  });
});
