import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentInventory,
  ContainerStatus,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import {
  cleanup,
  client,
  scratch,
  sourceDatabase,
  startAgent,
  type AgentCall,
  type RunningAgent,
  type SourceDatabase,
  withClient,
} from './harness.js';

/** A database of `rows` items in the demo MariaDB source (BP_SOURCE_MARIADB_URL). */
async function mariadbSource(rows: number) {
  const admin = process.env['BP_SOURCE_MARIADB_URL'];
  if (!admin)
    throw new Error('BP_SOURCE_MARIADB_URL is not set: run eval "$(bash scripts/setup.sh)"');
  const name = `bp_e2e_${randomBytes(4).toString('hex')}`;
  const session = await mysql.createConnection(admin);
  try {
    await session.query(`CREATE DATABASE ${name}`);
    await session.query(
      `CREATE TABLE ${name}.items (id int PRIMARY KEY, label varchar(64) NOT NULL) ENGINE=InnoDB`,
    );
    for (let id = 1; id <= rows; id++)
      await session.query(`INSERT INTO ${name}.items VALUES (?, ?)`, [id, `item ${id}`]);
  } finally {
    await session.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name,
    connectionString: url.toString(),
    drop: async () => {
      const again = await mysql.createConnection(admin);
      await again.query(`DROP DATABASE IF EXISTS ${name}`).finally(() => again.end());
    },
  };
}

describe('mariadb sources and a template spanning engines', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: AgentCall;
  let site: Awaited<ReturnType<typeof mariadbSource>>;
  let analytics: SourceDatabase;
  let files: string;
  let ca: string;
  const password = 'site-owner-password-1';

  const sources = () => [
    { id: 'site', kind: 'mariadb', connectionString: site.connectionString },
    { id: 'files', kind: 'directory', path: files },
    { id: 'analytics', kind: 'postgres', connectionString: analytics.connectionString },
  ];

  /** A session on a clone over TCP and verified TLS as the owner. */
  const siteSession = (port: number, pass = password) =>
    mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'branchpoint',
      password: pass,
      database: site.name,
      ssl: { ca, rejectUnauthorized: true },
    });
  const siteQuery = async (port: number, sql: string) => {
    const session = await siteSession(port);
    try {
      return (await session.query(sql))[0];
    } finally {
      await session.end();
    }
  };
  /** A query on the postgres clone over TCP and verified TLS as the owner. */
  const pgQuery = (port: number) => async (sql: string) =>
    withClient(
      {
        host: '127.0.0.1',
        port,
        user: 'branchpoint',
        password,
        database: analytics.name,
        ssl: { ca, rejectUnauthorized: true },
      },
      async (db) => (await db.query(sql)).rows,
    );
  const endpoint = (status: ContainerStatus, id: string) =>
    status.endpoints.find((candidate) => candidate.sourceId === id)!;
  const put = async <T>(route: string, body: unknown): Promise<T> => {
    const answer = await call<T>('PUT', route, body);
    expect(answer.status, `PUT ${route}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    site = await mariadbSource(20);
    analytics = await sourceDatabase(10);
    files = await mkdtemp(path.join(tmpdir(), 'bp-files-'));
    await writeFile(path.join(files, 'logo.txt'), 'v1');
    agent = await startAgent({ root, runDir, ports: '56500-56599' });
    call = client(agent);
    ca = await readFile(path.join(runDir, 'tls', 'clone-ca.crt'), 'utf8');
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await site?.drop();
    await analytics?.drop();
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('ingests a mariadb, a directory and a postgres source into one version', async () => {
    const answer = await call<TemplateVersionStatus>('PUT', '/v1/templates/app/versions/v1', {
      sources: sources(),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      state: 'ready',
      sources: expect.arrayContaining([
        expect.objectContaining({ id: 'site', kind: 'mariadb', database: site.name }),
        expect.objectContaining({ id: 'files', kind: 'directory' }),
        expect.objectContaining({ id: 'analytics', kind: 'postgres' }),
      ]),
    });
  });

  it("runs afterIngest SQL through MariaDB's client before the snapshot, and says shell hooks are PostgreSQL's", async () => {
    const answer = await call<TemplateVersionStatus & { hookLog?: string[] }>(
      'PUT',
      '/v1/templates/masked/versions/v1',
      {
        sources: [{ id: 'site', kind: 'mariadb', connectionString: site.connectionString }],
        hooks: { afterIngest: ["UPDATE items SET label = 'masked'"], afterIngestShell: 'true' },
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.hookLog).toEqual([
      'site: hook 1: OK 20',
      'site: afterIngestShell: not run (shell hooks run on postgres sources)',
    ]);
    await put('/v1/containers/masked', { sources: [{ id: 'site', kind: 'mariadb' }], password });
    await put('/v1/containers/masked/branches/main', {
      origin: { kind: 'template', templateId: 'masked', version: 'v1' },
    });
    const status = await put<ContainerStatus>('/v1/containers/masked/active', { branchId: 'main' });
    expect(
      await siteQuery(endpoint(status, 'site').port!, 'SELECT DISTINCT label FROM items'),
    ).toEqual([{ label: 'masked' }]);
    expect((await call('DELETE', '/v1/containers/masked')).status).toBe(204);
  });

  it('runs afterStart SQL on the mariadb server it starts, and a failing one stops the server', async () => {
    const branchOf = (containerId: string) =>
      put(`/v1/containers/${containerId}/branches/main`, {
        origin: { kind: 'template', templateId: 'masked', version: 'v1' },
      });
    await put('/v1/containers/started', {
      sources: [{ id: 'site', kind: 'mariadb' }],
      password,
      afterStartSql: ["UPDATE items SET label = 'started'"],
    });
    await branchOf('started');
    const status = await put<ContainerStatus & { hookLog?: string[] }>(
      '/v1/containers/started/active',
      { branchId: 'main' },
    );
    expect(status.hookLog).toEqual(['site: hook 1: OK 20']);
    expect(
      await siteQuery(endpoint(status, 'site').port!, 'SELECT DISTINCT label FROM items'),
    ).toEqual([{ label: 'started' }]);

    await put('/v1/containers/unstartable', {
      sources: [{ id: 'site', kind: 'mariadb' }],
      password,
      afterStartSql: ['UPDATE no_such_table SET x = 1'],
    });
    await branchOf('unstartable');
    const failed = await call<{ message: string; hookLog?: string[] }>(
      'PUT',
      '/v1/containers/unstartable/active',
      { branchId: 'main' },
    );
    expect(failed.status).toBe(500);
    expect(failed.body.message).toContain('no_such_table');
    const after = await call<ContainerStatus>('GET', '/v1/containers/unstartable');
    expect(endpoint(after.body, 'site').running).toBe(false);
    for (const containerId of ['started', 'unstartable'])
      expect((await call('DELETE', `/v1/containers/${containerId}`)).status).toBe(204);
  });

  it('refuses a mariadb connection string without a database, naming it', async () => {
    const answer = await call<{ message: string }>('PUT', '/v1/templates/app/versions/bad', {
      sources: [{ id: 'site', kind: 'mariadb', connectionString: 'mysql://u:p@127.0.0.1:3306' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/no database/);
  });

  it('serves every source of a container, the mariadb one over TLS as the owner', async () => {
    await put('/v1/containers/qa', {
      sources: sources().map(({ id, kind }) => ({ id, kind })),
      password,
    });
    await put('/v1/containers/qa/branches/main', {
      origin: { kind: 'template', templateId: 'app', version: 'v1' },
    });
    const status = await put<ContainerStatus>('/v1/containers/qa/active', { branchId: 'main' });
    expect(endpoint(status, 'site')).toMatchObject({
      kind: 'mariadb',
      database: site.name,
      username: 'branchpoint',
      running: true,
    });
    expect(endpoint(status, 'files').path).toMatch(/^\//);
    const port = endpoint(status, 'site').port!;
    expect(await siteQuery(port, 'SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 20 }]);
    const pg = pgQuery(endpoint(status, 'analytics').port!);
    expect(await pg('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 10 }]);
    await expect(siteSession(port, 'wrong-password-1')).rejects.toThrow(/Access denied/);
    // No TLS, no login.
    await expect(
      mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: 'branchpoint',
        password,
        database: site.name,
      }),
    ).rejects.toThrow(/Access denied|secure transport/);
  });

  it('takes one point across engines, with a transaction open, and restores all of it', async () => {
    const status = await put<ContainerStatus>('/v1/containers/qa/active', { branchId: 'main' });
    const port = endpoint(status, 'site').port!;
    const pg = pgQuery(endpoint(status, 'analytics').port!);
    const filesDir = endpoint(status, 'files').path!;
    await siteQuery(port, "INSERT INTO items VALUES (1001, 'edge case')");
    // An uncommitted write must not be in the point; the committed one must.
    const open = await siteSession(port);
    await open.query('BEGIN');
    await open.query("INSERT INTO items VALUES (2002, 'uncommitted')");
    await put('/v1/containers/qa/branches/main/points/p1', {});
    await open.query('ROLLBACK');
    await open.end();
    await siteQuery(port, 'DELETE FROM items');
    await pg('DELETE FROM items');
    await writeFile(path.join(filesDir, 'logo.txt'), 'changed');

    await put('/v1/containers/qa/branches/main/generations/g1', { fromPointId: 'p1' });
    const after = (await call<ContainerStatus>('GET', '/v1/containers/qa')).body;
    const portAfter = endpoint(after, 'site').port!;
    expect(portAfter).toBe(port);
    expect(await siteQuery(port, 'SELECT id FROM items WHERE id > 1000')).toEqual([{ id: 1001 }]);
    expect(await siteQuery(port, 'SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 21 }]);
    expect(await pg('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 10 }]);
    expect(await readFile(path.join(endpoint(after, 'files').path!, 'logo.txt'), 'utf8')).toBe(
      'v1',
    );
  });

  it('switches branches with different indexes on the same port', async () => {
    const status = (await call<ContainerStatus>('GET', '/v1/containers/qa')).body;
    const port = endpoint(status, 'site').port!;
    await siteQuery(port, 'CREATE INDEX by_label ON items (label)');
    await put('/v1/containers/qa/branches/main/points/with-index', {});
    await put('/v1/containers/qa/branches/plain', {
      origin: { kind: 'template', templateId: 'app', version: 'v1' },
    });
    const indexes = () =>
      siteQuery(
        port,
        "SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE INDEX_NAME = 'by_label'",
      );
    await put('/v1/containers/qa/active', { branchId: 'plain' });
    expect(await indexes()).toEqual([{ n: 0 }]);
    await put('/v1/containers/qa/active', { branchId: 'main' });
    expect(await indexes()).toEqual([{ n: 1 }]);
  });

  it('rotates the password in the running mariadb server and ends old sessions', async () => {
    const status = (await call<ContainerStatus>('GET', '/v1/containers/qa')).body;
    const port = endpoint(status, 'site').port!;
    const old = await siteSession(port);
    await put('/v1/containers/qa/password', { password: 'rotated-password-2' });
    await expect(old.query('SELECT 1')).rejects.toThrow();
    await old.end().catch(() => undefined);
    await expect(siteSession(port)).rejects.toThrow(/Access denied/);
    const fresh = await siteSession(port, 'rotated-password-2');
    await fresh.end();
    await put('/v1/containers/qa/password', { password });
  });

  it("isolates tenants: each server runs as its container's uid, no one else reaches its files", async () => {
    await put('/v1/containers/other', {
      sources: sources().map(({ id, kind }) => ({ id, kind })),
      password: 'other-password-1',
    });
    await put('/v1/containers/other/branches/main', {
      origin: { kind: 'template', templateId: 'app', version: 'v1' },
    });
    const other = await put<ContainerStatus>('/v1/containers/other/active', { branchId: 'main' });
    const mine = (await call<ContainerStatus>('GET', '/v1/containers/qa')).body;
    const inventory = (await call<AgentInventory>('GET', '/v1/inventory')).body;
    const owner = async (status: ContainerStatus) => {
      const port = endpoint(status, 'site').port!;
      const pid = inventory.instances.find((instance) => instance.port === port)?.pid;
      return (await stat(`/proc/${pid}`)).uid;
    };
    const [myUid, otherUid] = [await owner(mine), await owner(other)];
    expect(myUid).toBeGreaterThan(0);
    expect(otherUid).toBeGreaterThan(0);
    expect(myUid).not.toBe(otherUid);
    // The other tenant's uid cannot enter my data directory nor my socket directory.
    const myData = (await execa('zfs', ['list', '-H', '-o', 'mountpoint', '-r', root])).stdout
      .split('\n')
      .find(
        (mountpoint) => mountpoint.includes('/containers/qa/') && mountpoint.endsWith('/site'),
      )!;
    const as = (uid: number, args: string[]) =>
      execa('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...args], {
        reject: false,
      });
    expect((await as(otherUid, ['ls', myData])).exitCode).not.toBe(0);
    const mySockets = path.join(runDir, 'mariadb-sockets', String(endpoint(mine, 'site').port));
    expect((await as(otherUid, ['ls', mySockets])).exitCode).not.toBe(0);
    expect((await as(myUid, ['ls', myData])).exitCode).toBe(0);
    // The owner is no superuser: no file access through the server, no grants on mysql.*.
    const port = endpoint(mine, 'site').port!;
    expect(await siteQuery(port, "SELECT LOAD_FILE('/etc/passwd') AS f")).toEqual([{ f: null }]);
    await expect(siteQuery(port, 'SELECT COUNT(*) FROM mysql.global_priv')).rejects.toThrow(
      /denied/,
    );
  });
});
