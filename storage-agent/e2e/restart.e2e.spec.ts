import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentInventory,
  ContainerStatus,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import {
  cleanup,
  client,
  cloneQuery,
  scratch,
  sourceDatabase,
  startAgent,
  withoutSpace,
  type RunningAgent,
} from './harness.js';

const PASSWORD = 'restart-password';

const PORTS = '56200-56299';

describe('an agent killed mid-operation and restarted', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  const ingestBody = () => ({
    sources: [{ id: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
  });

  async function restart(): Promise<void> {
    await agent.stop('SIGKILL');
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent.url);
  }

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    source = await sourceDatabase(30);
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent.url);
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  });

  it('reports ingest progress, and a repeated ingest completes after a crash', async () => {
    const pending = call('PUT', '/v1/templates/crm/versions/v1', ingestBody()).catch(() => null);
    let seen: TemplateVersionStatus | null = null;
    for (let i = 0; i < 200 && !seen; i++) {
      const status = await call<TemplateVersionStatus>('GET', '/v1/templates/crm/versions/v1');
      if (status.status === 200 && status.body.state === 'ingesting') seen = status.body;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toMatchObject({ state: 'ingesting', sources: [{ id: 'app-db' }] });
    expect(seen!.progress).toBeGreaterThanOrEqual(0);
    await restart();
    await pending;
    const after = await call<TemplateVersionStatus>(
      'PUT',
      '/v1/templates/crm/versions/v1',
      ingestBody(),
    );
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ state: 'ready', progress: 100 });
  });

  it('sees the same containers and servers after a restart, and the servers keep serving', async () => {
    await call('PUT', '/v1/containers/ops', {
      sources: [{ id: 'app-db', kind: 'postgres' }],
      password: PASSWORD,
    });
    await call('PUT', '/v1/containers/ops/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    await call('PUT', '/v1/containers/ops/branches/other', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const status = await call<ContainerStatus>('PUT', '/v1/containers/ops/active', {
      branchId: 'main',
    });
    const query = cloneQuery(status.body.endpoints[0]!.port!, source.name, PASSWORD);
    await query("INSERT INTO items VALUES (500, 'written before the crash')");
    const inventory = await call<AgentInventory>('GET', '/v1/inventory');
    expect(inventory.body.instances).toEqual([
      expect.objectContaining({ containerId: 'ops', branchId: 'main', running: true }),
    ]);

    await agent.stop('SIGKILL');
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(31);
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent.url);

    expect((await call('GET', '/v1/containers/ops')).body).toEqual(status.body);
    // Space numbers move on their own (server writes, ZFS settling); everything else is the same.
    expect(withoutSpace((await call<AgentInventory>('GET', '/v1/inventory')).body)).toEqual(
      withoutSpace(inventory.body),
    );
    expect(
      (await query<{ label: string }>('SELECT label FROM items WHERE id = 500'))[0]?.label,
    ).toBe('written before the crash');
  });

  it('completes an activation interrupted by a crash when it is repeated', async () => {
    const port = (await call<ContainerStatus>('GET', '/v1/containers/ops')).body.endpoints[0]!
      .port!;
    const interrupted = call('PUT', '/v1/containers/ops/active', { branchId: 'other' }).catch(
      () => null,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await restart();
    await interrupted;
    const done = await call<ContainerStatus>('PUT', '/v1/containers/ops/active', {
      branchId: 'other',
    });
    expect(done.body).toMatchObject({
      activeBranchId: 'other',
      running: true,
      endpoints: [{ port, running: true }],
    });
    const query = cloneQuery(port, source.name, PASSWORD);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(30);
    const instances = (await call<AgentInventory>('GET', '/v1/inventory')).body.instances;
    expect(instances).toEqual([
      expect.objectContaining({ containerId: 'ops', branchId: 'other', port, running: true }),
    ]);
  });

  it('completes a restore interrupted by a crash when it is repeated', async () => {
    const port = (await call<ContainerStatus>('GET', '/v1/containers/ops')).body.endpoints[0]!
      .port!;
    const query = cloneQuery(port, source.name, PASSWORD);
    await call('PUT', '/v1/containers/ops/branches/other/points/before');
    await query('DELETE FROM items');
    const interrupted = call('PUT', '/v1/containers/ops/branches/other/generations/r1', {
      fromPointId: 'before',
    }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await restart();
    await interrupted;
    expect(
      (
        await call('PUT', '/v1/containers/ops/branches/other/generations/r1', {
          fromPointId: 'before',
        })
      ).status,
    ).toBe(200);
    expect((await call<ContainerStatus>('GET', '/v1/containers/ops')).body.running).toBe(true);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n).toBe(30);
  });
});
