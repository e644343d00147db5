import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ContainerActivity, ContainerStatus } from '@branchpoint/contracts';
import {
  cleanup,
  client,
  cloneQuery,
  scratch,
  sourceDatabase,
  startAgent,
  type RunningAgent,
} from './harness.js';

const PASSWORD = 'idle-password';
const PORTS = '56400-56499';

describe('container activity and an idle stop', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  let port: number;
  let database: string;

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    source = await sourceDatabase(25);
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent.url);
    await call('PUT', '/v1/templates/crm/versions/v1', {
      sources: [{ id: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
    });
    await call('PUT', '/v1/containers/idle', {
      sources: [{ id: 'app-db', kind: 'postgres' }],
      password: PASSWORD,
    });
    await call('PUT', '/v1/containers/idle/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const active = await call<ContainerStatus>('PUT', '/v1/containers/idle/active', {
      branchId: 'main',
    });
    expect(active.status).toBe(200);
    port = active.body.endpoints[0]!.port!;
    database = active.body.endpoints[0]!.database!;
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  });

  it('moves the last activity to now while a client is connected', async () => {
    const before = await call<ContainerActivity>('GET', '/v1/containers/idle/activity');
    expect(before.status).toBe(200);
    expect(before.body.running).toBe(true);
    const idleSince = Date.parse(before.body.lastActivityAt!);
    expect(idleSince).toBeLessThanOrEqual(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const db = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'branchpoint',
      password: PASSWORD,
      database,
    });
    await db.connect();
    try {
      const during = await call<ContainerActivity>('GET', '/v1/containers/idle/activity');
      expect(Date.parse(during.body.lastActivityAt!)).toBeGreaterThan(idleSince + 1000);
    } finally {
      await db.end();
    }
  });

  it('keeps the data of a stopped container and serves it again after a start', async () => {
    await cloneQuery(port, database, PASSWORD)("INSERT INTO items VALUES (1000, 'written')");
    const stopped = await call<ContainerStatus>('POST', '/v1/containers/idle/stop');
    expect(stopped.body.running).toBe(false);
    expect((await call<ContainerActivity>('GET', '/v1/containers/idle/activity')).body).toEqual({
      running: false,
      lastActivityAt: null,
    });
    await expect(cloneQuery(port, database, PASSWORD)('SELECT 1')).rejects.toThrow();
    const started = await call<ContainerStatus>('POST', '/v1/containers/idle/start');
    expect(started.body.running).toBe(true);
    expect(started.body.endpoints[0]!.port).toBe(port);
    const rows = await cloneQuery(
      port,
      database,
      PASSWORD,
    )<{ count: string }>('SELECT count(*) FROM items');
    expect(rows[0]!.count).toBe('26');
  });

  it('answers 404 for an unknown container', async () => {
    const answer = await call('GET', '/v1/containers/nobody/activity');
    expect(answer.status).toBe(404);
  });
});
