import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentError,
  AgentInventory,
  ContainerStatus,
  RestoreResult,
} from '@branchpoint/contracts';
import { activeContainer, startWorld, withClient, type CloneQuery, type World } from './harness.js';

const PASSWORD = 'refresh-password';

describe('restore from a template version (refresh)', () => {
  let world: World;
  let query: CloneQuery;
  let port: number;
  const B = '/v1/containers/qa/branches/main';
  const fromV2 = { fromTemplate: { templateId: 'hr', version: 'v2' } };
  const rows = async () =>
    (
      await query<{ n: number; top: number; edge: boolean }>(
        'SELECT count(*)::int AS n, max(id) AS top, coalesce(bool_or(id = 100), false) AS edge FROM items',
      )
    )[0];

  beforeAll(async () => {
    world = await startWorld({ ports: '56250-56299', rows: 20, templateId: 'hr' });
    expect((await world.ingest('v1')).body).toMatchObject({ state: 'ready' });
    ({ port, query } = await activeContainer(world, { containerId: 'qa', password: PASSWORD }));
    await query("INSERT INTO items VALUES (100, 'edge case')");
    await world.call('PUT', `${B}/points/p1`);
    await withClient(world.source.connectionString, (db) =>
      db.query("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(21, 30) g"),
    );
    expect((await world.ingest('v2')).body).toMatchObject({ state: 'ready' });
  });

  afterAll(() => world?.stop());

  it('clones the version into a new generation of the running branch, on the same port', async () => {
    expect(await rows()).toEqual({ n: 21, top: 100, edge: true });
    const restored = await world.call<RestoreResult>('PUT', `${B}/generations/r1`, fromV2);
    expect(restored).toEqual({
      status: 200,
      body: { containerId: 'qa', branchId: 'main', generationId: 'r1' },
    });
    // The new version's rows, without what was written on the old generation.
    expect(await rows()).toEqual({ n: 30, top: 30, edge: false });
    const status = await world.call<ContainerStatus>('GET', '/v1/containers/qa');
    expect(status.body).toMatchObject({
      activeBranchId: 'main',
      endpoints: [{ port, running: true }],
    });
    const inventory = await world.call<AgentInventory>('GET', '/v1/inventory');
    const dataset = (name: string) => inventory.body.datasets.find((d) => d.name === name);
    expect(dataset(`${world.root}/containers/qa/main/r1`)?.properties['origin']).toBe(
      `${world.root}/templates/hr@v2`,
    );
    expect(dataset(`${world.root}/containers/qa/main/r1/app-db`)?.origin).toBe(
      `${world.root}/templates/hr/app-db@v2`,
    );
    // Nothing but the new generation: no second branch holds the version.
    expect(
      inventory.body.datasets
        .filter((d) => d.type === 'filesystem' && d.name.startsWith(`${world.root}/containers/qa/`))
        .map((d) => d.name.slice(`${world.root}/containers/qa/`.length))
        .sort(),
    ).toEqual(['main', 'main/g0', 'main/g0/app-db', 'main/r1', 'main/r1/app-db']);
  });

  it('answers a repeat of the same restore with success and changes nothing', async () => {
    await query("INSERT INTO items VALUES (200, 'after the refresh')");
    const again = await world.call<RestoreResult>('PUT', `${B}/generations/r1`, fromV2);
    expect(again).toEqual({
      status: 200,
      body: { containerId: 'qa', branchId: 'main', generationId: 'r1' },
    });
    // A second clone would have lost row 200.
    expect(await rows()).toEqual({ n: 31, top: 200, edge: false });
  });

  it('answers 404 naming an unknown template or version, and changes nothing', async () => {
    for (const [templateId, version, message] of [
      ['hr', 'v9', 'template hr has no version v9'],
      ['nope', 'v2', 'template nope has no version v2'],
    ] as const) {
      const answer = await world.call<AgentError>('PUT', `${B}/generations/r9`, {
        fromTemplate: { templateId, version },
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'not-found', message });
    }
    expect(await rows()).toEqual({ n: 31, top: 200, edge: false });
    const bad = await world.call<AgentError>('PUT', `${B}/generations/r9`, {
      fromTemplate: { templateId: 'hr' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body.fromTemplate.version');
  });

  it('refuses to switch back into a generation that was current before', async () => {
    expect(await world.call<AgentError>('PUT', `${B}/generations/g0`, fromV2)).toMatchObject({
      status: 409,
      body: { code: 'conflict' },
    });
    expect(await rows()).toEqual({ n: 31, top: 200, edge: false });
  });

  it('resets a generation without points by cloning the version again', async () => {
    await query('DELETE FROM items');
    expect((await world.call('POST', `${B}/reset`)).body).toEqual({ pointId: 'v2' });
    expect(await rows()).toEqual({ n: 30, top: 30, edge: false });
  });

  it('still restores a point taken before the refresh', async () => {
    expect((await world.call('PUT', `${B}/generations/r2`, { fromPointId: 'p1' })).status).toBe(
      200,
    );
    expect(await rows()).toEqual({ n: 21, top: 100, edge: true });
  });

  it('keeps the version from being deleted while a generation is its clone', async () => {
    const refused = await world.call<AgentError>('DELETE', '/v1/templates/hr/versions/v2');
    expect(refused).toMatchObject({ status: 409, body: { code: 'has-dependents' } });
    expect(refused.body.message).toContain(`${world.root}/containers/qa/main/r1/app-db`);
    expect((await world.call('DELETE', '/v1/containers/qa')).status).toBe(204);
    expect((await world.call('DELETE', '/v1/templates/hr/versions/v2')).status).toBe(204);
  });
});
