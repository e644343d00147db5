import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentError, ContainerStatus, TemplateVersionStatus } from '@branchpoint/contracts';
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

const MASK = "UPDATE customers SET email = md5(email) || '@example.invalid'";

describe('SQL hooks', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  const originals: string[] = [];

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    source = await sourceDatabase(1);
    await withClient(source.connectionString, async (db) => {
      await db.query('CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)');
      const { rows } = await db.query<{ email: string }>(
        "INSERT INTO customers SELECT g, 'person' || g || '@real-company.com' FROM generate_series(1, 200) g RETURNING email",
      );
      originals.push(...rows.map((row) => row.email));
    });
    agent = await startAgent({ root, runDir, ports: '56300-56349' });
    call = client(agent.url);
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  });

  it('masks a column before the snapshot, so no clone sees an original value', async () => {
    const ingest = await call<TemplateVersionStatus>('PUT', '/v1/templates/crm/versions/v1', {
      sources: [{ id: 'db', kind: 'postgres', connectionString: source.connectionString }],
      hooks: { afterIngest: [MASK, "DO $$ BEGIN RAISE NOTICE 'masked'; END $$"] },
    });
    expect(ingest.body).toMatchObject({ state: 'ready' });
    expect(ingest.status).toBe(200);
    expect(ingest.body.hookLog).toEqual([
      'db: hook 1: UPDATE 200',
      'db: NOTICE masked',
      'db: hook 2: DO',
    ]);

    const password = 'hook-clone-password';
    const created = await call<ContainerStatus>('PUT', '/v1/containers/c1', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password,
    });
    expect(created.status).toBe(200);
    expect(
      (
        await call('PUT', '/v1/containers/c1/branches/main', {
          origin: { kind: 'template', templateId: 'crm', version: 'v1' },
        })
      ).status,
    ).toBe(200);
    const active = await call<ContainerStatus>('PUT', '/v1/containers/c1/active', {
      branchId: 'main',
    });
    expect(active.status).toBe(200);
    const port = active.body.endpoints[0]?.port as number;
    const rows = await cloneQuery(
      port,
      source.name,
      password,
    )<{ email: string }>('SELECT email FROM customers ORDER BY id');
    expect(rows).toHaveLength(200);
    const seen = new Set(rows.map((row) => row.email));
    for (const email of originals) expect(seen.has(email)).toBe(false);
    for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@example\.invalid$/);
    // The source itself is untouched.
    const sourceRows = await withClient(source.connectionString, (db) =>
      db.query('SELECT 1 FROM customers WHERE email LIKE $1', ['%@real-company.com']),
    );
    expect(sourceRows.rowCount).toBe(200);
  });

  it('fails the ingest naming the failing statement and leaves no version behind', async () => {
    const bad = 'UPDATE no_such_table SET x = 1';
    const ingest = await call<AgentError>('PUT', '/v1/templates/crm/versions/v2', {
      sources: [{ id: 'db', kind: 'postgres', connectionString: source.connectionString }],
      hooks: { afterIngest: [MASK, bad] },
    });
    expect(ingest.status).toBe(422);
    expect(ingest.body.code).toBe('ingest-failed');
    expect(ingest.body.message).toContain(bad);
    expect(ingest.body.message).toContain('hook 2');
    const snapshots = await execa('zfs', [
      'list',
      '-H',
      '-t',
      'snapshot',
      '-o',
      'name',
      '-r',
      root,
    ]);
    expect(snapshots.stdout).not.toContain('@v2');
    expect(
      (await call<TemplateVersionStatus>('GET', '/v1/templates/crm/versions/v2')).body.state,
    ).toBe('failed');
  });

  it('runs afterStart SQL on every launch of a container server, and a failing one fails the start', async () => {
    const password = 'after-start-password';
    const created = await call<ContainerStatus>('PUT', '/v1/containers/c2', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password,
      afterStartSql: [
        'CREATE TABLE IF NOT EXISTS starts (at timestamptz)',
        'INSERT INTO starts VALUES (now())',
      ],
    });
    expect(created.status).toBe(200);
    await call('PUT', '/v1/containers/c2/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const active = await call<ContainerStatus>('PUT', '/v1/containers/c2/active', {
      branchId: 'main',
    });
    expect(active.status).toBe(200);
    const query = cloneQuery(active.body.endpoints[0]?.port as number, source.name, password);
    const starts = async () =>
      Number((await query<{ n: string }>('SELECT count(*) AS n FROM starts'))[0]?.n);
    expect(await starts()).toBe(1);
    // A start of a running server launches nothing, so runs nothing.
    expect((await call('POST', '/v1/containers/c2/start')).status).toBe(200);
    expect(await starts()).toBe(1);
    expect((await call('POST', '/v1/containers/c2/stop')).status).toBe(200);
    expect((await call('POST', '/v1/containers/c2/start')).status).toBe(200);
    expect(await starts()).toBe(2);

    const bad = 'UPDATE no_such_table SET x = 1';
    await call('PUT', '/v1/containers/c3', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password,
      afterStartSql: [bad],
    });
    await call('PUT', '/v1/containers/c3/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const failed = await call<AgentError>('PUT', '/v1/containers/c3/active', { branchId: 'main' });
    expect(failed.status).toBe(500);
    expect(failed.body.message).toContain(bad);
    const status = await call<ContainerStatus>('GET', '/v1/containers/c3');
    expect(status.body.endpoints[0]?.running).toBe(false);
  });

  it('refuses an empty hook statement', async () => {
    const ingest = await call<AgentError>('PUT', '/v1/templates/crm/versions/v3', {
      sources: [{ id: 'db', kind: 'postgres', connectionString: source.connectionString }],
      hooks: { afterIngest: ['  '] },
    });
    expect(ingest.status).toBe(400);
    const container = await call<AgentError>('PUT', '/v1/containers/c4', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password: 'long-enough-password',
      afterStartSql: [''],
    });
    expect(container.status).toBe(400);
  });
});
