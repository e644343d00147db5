import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentError, ContainerStatus, TemplateVersionStatus } from '@branchpoint/contracts';
import {
  activeContainer,
  customers,
  filesContaining,
  mountpointOf,
  startWorld,
  withClient,
  type World,
} from './harness.js';

const MASK = "UPDATE customers SET email = md5(email) || '@example.invalid'";

describe('SQL hooks', () => {
  let world: World;
  let originals: string[];

  beforeAll(async () => {
    world = await startWorld({ ports: '56300-56349', rows: 1, templateId: 'crm', sourceId: 'db' });
    originals = await customers(world.source, 200);
  });

  afterAll(() => world?.stop());

  it('masks a column before the snapshot, so no clone sees an original value', async () => {
    const ingest = await world.ingest('v1', {
      afterIngest: [MASK, "DO $$ BEGIN RAISE NOTICE 'masked'; END $$"],
    });
    expect(ingest.body).toMatchObject({ state: 'ready' });
    expect(ingest.status).toBe(200);
    expect(ingest.body.hookLog).toEqual([
      'db: hook 1: UPDATE 200',
      'db: NOTICE masked',
      'db: hook 2: DO',
    ]);

    const { query } = await activeContainer(world, {
      containerId: 'c1',
      password: 'hook-clone-password',
    });
    const rows = await query<{ email: string }>('SELECT email FROM customers ORDER BY id');
    expect(rows).toHaveLength(200);
    const seen = new Set(rows.map((row) => row.email));
    for (const email of originals) expect(seen.has(email)).toBe(false);
    for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@example\.invalid$/);
    // The source itself is untouched.
    const sourceRows = await withClient(world.source.connectionString, (db) =>
      db.query('SELECT 1 FROM customers WHERE email LIKE $1', ['%@real-company.com']),
    );
    expect(sourceRows.rowCount).toBe(200);
    // No byte of an original value is left anywhere in the version's files: not in dead row
    // versions, indexes, statistics or WAL.
    const dataDir = await mountpointOf(`${world.root}/templates/crm/db`);
    expect(await filesContaining(dataDir, '@real-company.com')).toEqual([]);
  });

  it('fails the ingest naming the failing statement and leaves no version behind', async () => {
    const bad = 'UPDATE no_such_table SET x = 1';
    const ingest = await world.ingest('v2', { afterIngest: [MASK, bad] });
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
      world.root,
    ]);
    expect(snapshots.stdout).not.toContain('@v2');
    expect(
      (await world.call<TemplateVersionStatus>('GET', '/v1/templates/crm/versions/v2')).body.state,
    ).toBe('failed');
  });

  it('runs afterStart SQL on every launch of a container server, and a failing one fails the start', async () => {
    const password = 'after-start-password';
    const { query } = await activeContainer(world, {
      containerId: 'c2',
      password,
      settings: {
        afterStartSql: [
          'CREATE TABLE IF NOT EXISTS starts (at timestamptz)',
          'INSERT INTO starts VALUES (now())',
        ],
      },
    });
    const starts = async () =>
      Number((await query<{ n: string }>('SELECT count(*) AS n FROM starts'))[0]?.n);
    expect(await starts()).toBe(1);
    // A start of a running server launches nothing, so runs nothing.
    expect((await world.call('POST', '/v1/containers/c2/start')).status).toBe(200);
    expect(await starts()).toBe(1);
    expect((await world.call('POST', '/v1/containers/c2/stop')).status).toBe(200);
    expect((await world.call('POST', '/v1/containers/c2/start')).status).toBe(200);
    expect(await starts()).toBe(2);

    const bad = 'UPDATE no_such_table SET x = 1';
    await world.call('PUT', '/v1/containers/c3', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password,
      afterStartSql: [bad],
    });
    await world.call('PUT', '/v1/containers/c3/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const failed = await world.call<AgentError>('PUT', '/v1/containers/c3/active', {
      branchId: 'main',
    });
    expect(failed.status).toBe(500);
    expect(failed.body.message).toContain(bad);
    const status = await world.call<ContainerStatus>('GET', '/v1/containers/c3');
    expect(status.body.endpoints[0]?.running).toBe(false);
  });

  it('refuses an empty hook statement', async () => {
    const ingest = await world.ingest('v3', { afterIngest: ['  '] });
    expect(ingest.status).toBe(400);
    const container = await world.call<AgentError>('PUT', '/v1/containers/c4', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password: 'long-enough-password',
      afterStartSql: [''],
    });
    expect(container.status).toBe(400);
  });
});
