import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentError,
  AgentInventory,
  ContainerStatus,
  RestoreResult,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import {
  cleanup,
  client,
  cloneQuery,
  scratch,
  sourceDatabase,
  startAgent,
  withClient,
  type RunningAgent,
} from './harness.js';

const PASSWORD = 'refresh-password';

describe('restore from a template version (refresh)', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  let query: ReturnType<typeof cloneQuery>;
  let port: number;
  const B = '/v1/containers/qa/branches/main';
  const fromV2 = { fromTemplate: { templateId: 'hr', version: 'v2' } };
  const ingest = (version: string) =>
    call<TemplateVersionStatus>('PUT', `/v1/templates/hr/versions/${version}`, {
      sources: [{ id: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
    });
  const rows = async () =>
    (
      await query<{ n: number; top: number; edge: boolean }>(
        'SELECT count(*)::int AS n, max(id) AS top, coalesce(bool_or(id = 100), false) AS edge FROM items',
      )
    )[0];

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    source = await sourceDatabase(20);
    agent = await startAgent({ root, runDir, ports: '56250-56299' });
    call = client(agent.url);
    expect((await ingest('v1')).body).toMatchObject({ state: 'ready' });
    await call('PUT', '/v1/containers/qa', {
      sources: [{ id: 'app-db', kind: 'postgres' }],
      password: PASSWORD,
    });
    await call('PUT', B, { origin: { kind: 'template', templateId: 'hr', version: 'v1' } });
    const active = await call<ContainerStatus>('PUT', '/v1/containers/qa/active', {
      branchId: 'main',
    });
    port = active.body.endpoints[0]!.port!;
    query = cloneQuery(port, source.name, PASSWORD);
    await query("INSERT INTO items VALUES (100, 'edge case')");
    await call('PUT', `${B}/points/p1`);
    await withClient(source.connectionString, (db) =>
      db.query("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(21, 30) g"),
    );
    expect((await ingest('v2')).body).toMatchObject({ state: 'ready' });
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  });

  it('clones the version into a new generation of the running branch, on the same port', async () => {
    expect(await rows()).toEqual({ n: 21, top: 100, edge: true });
    const restored = await call<RestoreResult>('PUT', `${B}/generations/r1`, fromV2);
    expect(restored).toEqual({
      status: 200,
      body: { containerId: 'qa', branchId: 'main', generationId: 'r1' },
    });
    // The new version's rows, without what was written on the old generation.
    expect(await rows()).toEqual({ n: 30, top: 30, edge: false });
    const status = await call<ContainerStatus>('GET', '/v1/containers/qa');
    expect(status.body).toMatchObject({
      activeBranchId: 'main',
      endpoints: [{ port, running: true }],
    });
    const inventory = await call<AgentInventory>('GET', '/v1/inventory');
    const dataset = (name: string) => inventory.body.datasets.find((d) => d.name === name);
    expect(dataset(`${root}/containers/qa/main/r1`)?.properties['origin']).toBe(
      `${root}/templates/hr@v2`,
    );
    expect(dataset(`${root}/containers/qa/main/r1/app-db`)?.origin).toBe(
      `${root}/templates/hr/app-db@v2`,
    );
    // Nothing but the new generation: no second branch holds the version.
    expect(
      inventory.body.datasets
        .filter((d) => d.type === 'filesystem' && d.name.startsWith(`${root}/containers/qa/`))
        .map((d) => d.name.slice(`${root}/containers/qa/`.length))
        .sort(),
    ).toEqual(['main', 'main/g0', 'main/g0/app-db', 'main/r1', 'main/r1/app-db']);
  });

  it('answers a repeat of the same restore with success and changes nothing', async () => {
    await query("INSERT INTO items VALUES (200, 'after the refresh')");
    const again = await call<RestoreResult>('PUT', `${B}/generations/r1`, fromV2);
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
      const answer = await call<AgentError>('PUT', `${B}/generations/r9`, {
        fromTemplate: { templateId, version },
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'not-found', message });
    }
    expect(await rows()).toEqual({ n: 31, top: 200, edge: false });
    const bad = await call<AgentError>('PUT', `${B}/generations/r9`, {
      fromTemplate: { templateId: 'hr' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body.fromTemplate.version');
  });

  it('refuses to switch back into a generation that was current before', async () => {
    expect(await call<AgentError>('PUT', `${B}/generations/g0`, fromV2)).toMatchObject({
      status: 409,
      body: { code: 'conflict' },
    });
    expect(await rows()).toEqual({ n: 31, top: 200, edge: false });
  });

  it('resets a generation without points by cloning the version again', async () => {
    await query('DELETE FROM items');
    expect((await call('POST', `${B}/reset`)).body).toEqual({ pointId: 'v2' });
    expect(await rows()).toEqual({ n: 30, top: 30, edge: false });
  });

  it('still restores a point taken before the refresh', async () => {
    expect((await call('PUT', `${B}/generations/r2`, { fromPointId: 'p1' })).status).toBe(200);
    expect(await rows()).toEqual({ n: 21, top: 100, edge: true });
  });

  it('keeps the version from being deleted while a generation is its clone', async () => {
    const refused = await call<AgentError>('DELETE', '/v1/templates/hr/versions/v2');
    expect(refused).toMatchObject({ status: 409, body: { code: 'has-dependents' } });
    expect(refused.body.message).toContain(`${root}/containers/qa/main/r1/app-db`);
    expect((await call('DELETE', '/v1/containers/qa')).status).toBe(204);
    expect((await call('DELETE', '/v1/templates/hr/versions/v2')).status).toBe(204);
  });
});
