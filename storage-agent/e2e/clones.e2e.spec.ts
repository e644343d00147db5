import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStatus, TemplateVersionStatus } from '@branchpoint/contracts';
import { activeContainer, cloneQuery, startWorld, withClient, type World } from './harness.js';

describe('ingest and clones', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ ports: '56000-56099', rows: 50, templateId: 'shop' });
  });

  afterAll(() => world?.stop());

  it('ingests a postgres source into a template version', async () => {
    const ingest = await world.ingest('v1');
    expect(ingest.status).toBe(200);
    expect(ingest.body).toMatchObject({
      state: 'ready',
      progress: 100,
      sources: [{ id: 'app-db', kind: 'postgres', database: world.source.name }],
    });
    expect(ingest.body.sources[0]?.referencedBytes).toBeGreaterThan(1_000_000);

    const again = await world.ingest('v1');
    expect(again.body).toEqual(ingest.body);
    expect((await world.call('GET', '/v1/templates/shop/versions/v1')).body).toEqual(ingest.body);
    expect((await world.call('GET', '/v1/templates/shop/versions/v9')).status).toBe(404);
  });

  it('gives two containers independent writable clones on their own fixed ports', async () => {
    const statuses: ContainerStatus[] = [];
    for (const [containerId, password] of [
      ['alice', 'alice-password-1'],
      ['bob', 'bob-password-22'],
    ] as const) {
      const { status } = await activeContainer(world, { containerId, password });
      expect(status).toMatchObject({ containerId, activeBranchId: 'main', running: true });
      statuses.push(status);
    }
    const [alice, bob] = statuses.map((status) => status.endpoints[0]!);
    expect(alice!.port).not.toBe(bob!.port);
    expect(alice).toMatchObject({
      kind: 'postgres',
      database: world.source.name,
      username: 'branchpoint',
      running: true,
    });

    const aliceDb = cloneQuery(alice!.port!, world.source.name, 'alice-password-1');
    const bobDb = cloneQuery(bob!.port!, world.source.name, 'bob-password-22');
    expect(await aliceDb('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 50 }]);
    await aliceDb("INSERT INTO items VALUES (1001, 'only alice')");
    await aliceDb('DELETE FROM items WHERE id <= 10');
    expect(await aliceDb('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 41 }]);
    expect(await bobDb('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 50 }]);
    expect(await bobDb('SELECT label FROM items WHERE id = 1001')).toEqual([]);
    // The source itself is untouched.
    expect(
      await cloneQuery(
        alice!.port!,
        world.source.name,
        'alice-password-1',
      )('SELECT count(*)::int AS n FROM items WHERE id = 1001'),
    ).toEqual([{ n: 1 }]);
  });

  it('gives a fresh container a clone with copy-on-write settings that writes no WAL segment of its own', async () => {
    const { query } = await activeContainer(world, {
      containerId: 'carol',
      password: 'carol-password-3',
    });
    const zfsGet = async (property: string, dataset: string) =>
      (await execa('zfs', ['get', '-H', '-p', '-o', 'value', property, dataset])).stdout.trim();
    expect(await query('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 50 }]);
    expect(
      await query(
        "SELECT name, setting FROM pg_settings WHERE name IN ('wal_init_zero', 'wal_recycle', 'full_page_writes') ORDER BY name",
      ),
    ).toEqual([
      { name: 'full_page_writes', setting: 'off' },
      { name: 'wal_init_zero', setting: 'off' },
      { name: 'wal_recycle', setting: 'off' },
    ]);
    expect(await zfsGet('compression', world.root)).not.toBe('off');
    // About 1 MB (datasets, ownership, what the server writes at start; see docs/benchmarks.md),
    // far from the 16 MB of a zero-filled WAL segment.
    expect(Number(await zfsGet('used', `${world.root}/containers/carol`))).toBeLessThan(4_000_000);
    // The later cases count the containers of the template: this one goes.
    expect((await world.call('DELETE', '/v1/containers/carol')).status).toBe(204);
  });

  it('refuses a wrong password', async () => {
    const status = await world.call<ContainerStatus>('GET', '/v1/containers/alice');
    await expect(
      cloneQuery(status.body.endpoints[0]!.port!, world.source.name, 'bob-password-22')('SELECT 1'),
    ).rejects.toThrow(/password authentication failed/);
  });

  it('repeats container creation and activation without changing anything', async () => {
    const before = await world.call<ContainerStatus>('GET', '/v1/containers/alice');
    const again = await world.call<ContainerStatus>('PUT', '/v1/containers/alice', {
      sources: [{ id: 'app-db', kind: 'postgres' }],
      password: 'alice-password-1',
    });
    expect(again.body).toEqual(before.body);
    expect(
      (
        await world.call<ContainerStatus>('PUT', '/v1/containers/alice/active', {
          branchId: 'main',
        })
      ).body,
    ).toEqual(before.body);
    expect(
      (
        await world.call('PUT', '/v1/containers/alice/branches/main', {
          origin: { kind: 'template', templateId: 'shop', version: 'v1' },
        })
      ).status,
    ).toBe(200);
  });

  it('refreshes the template into a new version without touching clones of the old one', async () => {
    await withClient(world.source.connectionString, (db) =>
      db.query("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(51, 60) g"),
    );
    const v2 = await world.ingest('v2');
    expect(v2.body).toMatchObject({ version: 'v2', state: 'ready' });
    await world.call('PUT', '/v1/containers/bob/branches/fresh', {
      origin: { kind: 'template', templateId: 'shop', version: 'v2' },
    });
    const bob = await world.call<ContainerStatus>('PUT', '/v1/containers/bob/active', {
      branchId: 'fresh',
    });
    const bobDb = cloneQuery(bob.body.endpoints[0]!.port!, world.source.name, 'bob-password-22');
    expect(await bobDb('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 60 }]);
    const alice = await world.call<ContainerStatus>('GET', '/v1/containers/alice');
    expect(
      await cloneQuery(
        alice.body.endpoints[0]!.port!,
        world.source.name,
        'alice-password-1',
      )('SELECT count(*)::int AS n FROM items'),
    ).toEqual([{ n: 41 }]);
  });

  it('ingests and clones a directory source', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'bp-uploads-'));
    try {
      await writeFile(path.join(folder, 'invoice.txt'), 'original');
      const ingest = await world.call<TemplateVersionStatus>(
        'PUT',
        '/v1/templates/files/versions/v1',
        {
          sources: [{ id: 'uploads', kind: 'directory', path: folder }],
        },
      );
      expect(ingest.body).toMatchObject({
        state: 'ready',
        sources: [{ id: 'uploads', kind: 'directory' }],
      });
      await world.call('PUT', '/v1/containers/carol', {
        sources: [{ id: 'uploads', kind: 'directory' }],
        password: 'carol-password',
      });
      await world.call('PUT', '/v1/containers/carol/branches/main', {
        origin: { kind: 'template', templateId: 'files', version: 'v1' },
      });
      const carol = await world.call<ContainerStatus>('PUT', '/v1/containers/carol/active', {
        branchId: 'main',
      });
      const endpoint = carol.body.endpoints[0]!;
      expect(endpoint).toMatchObject({
        kind: 'directory',
        port: null,
        database: null,
        running: true,
      });
      expect(await readFile(path.join(endpoint.path!, 'invoice.txt'), 'utf8')).toBe('original');
      await writeFile(path.join(endpoint.path!, 'invoice.txt'), 'changed in the clone');
      await writeFile(path.join(folder, 'invoice.txt'), 'changed in the source');
      await world.call('PUT', '/v1/containers/carol/branches/main/points/p1');
      await world.call('PUT', '/v1/containers/carol/branches/second', {
        origin: { kind: 'template', templateId: 'files', version: 'v1' },
      });
      const second = await world.call<ContainerStatus>('PUT', '/v1/containers/carol/active', {
        branchId: 'second',
      });
      expect(
        await readFile(path.join(second.body.endpoints[0]!.path!, 'invoice.txt'), 'utf8'),
      ).toBe('original');
      expect((await world.call('DELETE', '/v1/containers/carol')).status).toBe(204);
      expect((await world.call('DELETE', '/v1/templates/files')).status).toBe(204);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses to drop a template version that clones use, then drops the containers and the template', async () => {
    const refused = await world.call<{ code: string; message: string }>(
      'DELETE',
      '/v1/templates/shop/versions/v1',
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('has-dependents');
    expect(refused.body.message).toContain(`${world.root}/containers/alice/main/g0/app-db`);
    expect((await world.call('DELETE', '/v1/templates/shop')).status).toBe(409);

    for (const containerId of ['alice', 'bob']) {
      expect((await world.call('DELETE', `/v1/containers/${containerId}`)).status).toBe(204);
      expect((await world.call('DELETE', `/v1/containers/${containerId}`)).status).toBe(204);
      expect((await world.call('GET', `/v1/containers/${containerId}`)).status).toBe(404);
    }
    expect((await world.call('DELETE', '/v1/templates/shop/versions/v1')).status).toBe(204);
    expect((await world.call('DELETE', '/v1/templates/shop/versions/v2')).status).toBe(204);
    expect((await world.call('DELETE', '/v1/templates/shop')).status).toBe(204);
    const inventory = await world.call<{ datasets: { name: string }[]; instances: unknown[] }>(
      'GET',
      '/v1/inventory',
    );
    expect(inventory.body.datasets.map((dataset) => dataset.name)).toEqual([
      world.root,
      `${world.root}/containers`,
      `${world.root}/incoming`,
      `${world.root}/points`,
      `${world.root}/templates`,
    ]);
    expect(inventory.body.instances).toEqual([]);
  });
});
