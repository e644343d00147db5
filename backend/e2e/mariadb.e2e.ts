import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentInventory } from '@branchpoint/contracts';
import { createSourceDatabase, type ApiClient, type SourceDatabase } from '@branchpoint/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caOf, getContainer, startWorld, stopWorld, type Endpoint, type World } from './support.js';

/**
 * The stories on a template that spans engines: a MariaDB `site`, a directory `files` and a
 * PostgreSQL `analytics`, served by real mariadbd, PostgreSQL and zfs.
 */

interface View {
  id: string;
  activeBranchId: string;
  endpoints: Endpoint[];
  branches: { id: string; name: string; active: boolean }[];
}

let world: World;
let site: { name: string; connectionString: string; query(sql: string): Promise<unknown> };
let analytics: SourceDatabase;
let files: string;
let templateId: string;
let alice: { id: string; api: ApiClient };
let bob: { id: string; api: ApiClient };
let qa: View;
let dev: View;
let bugBookmarkId: string;

const adminUrl = () => {
  const url = process.env['BP_SOURCE_MARIADB_URL'];
  if (!url)
    throw new Error('BP_SOURCE_MARIADB_URL is not set: run eval "$(bash scripts/setup.sh)"');
  return url;
};

async function onSource(sql: string): Promise<unknown> {
  const session = await mysql.createConnection(adminUrl());
  try {
    return (await session.query(sql))[0];
  } finally {
    await session.end();
  }
}

/** SQL on the container's MariaDB clone over TLS verified with the clone CA, as the owner. */
async function onSite(container: View, sql: string): Promise<Record<string, unknown>[]> {
  const endpoint = container.endpoints.find((e) => e.source === 'site')!;
  const session = await mysql.createConnection({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.username,
    password: endpoint.password,
    database: endpoint.database,
    ssl: { ca: await caOf(container), rejectUnauthorized: true },
  });
  try {
    return (await session.query(sql))[0] as Record<string, unknown>[];
  } finally {
    await session.end();
  }
}

const names = async (container: View) =>
  (await onSite(container, 'SELECT name FROM pages ORDER BY id')).map((row) => row['name']);

const filesOf = (container: View) =>
  readFile(
    path.join(container.endpoints.find((e) => e.source === 'files')!.path!, 'logo.txt'),
    'utf8',
  );

beforeAll(async () => {
  world = await startWorld('backend-mariadb');
  alice = await world.stack.createUser('alice');
  bob = await world.stack.createUser('bob');
  const name = `e2e_${randomBytes(4).toString('hex')}`;
  await onSource(`CREATE DATABASE ${name}`);
  await onSource(
    `CREATE TABLE ${name}.pages (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) NOT NULL) ENGINE=InnoDB`,
  );
  await onSource(`INSERT INTO ${name}.pages (name) VALUES ('home'), ('about'), ('shop')`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  site = {
    name,
    connectionString: url.toString(),
    query: (sql) => onSource(sql.replaceAll('$db', name)),
  };
  analytics = await createSourceDatabase({
    prefix: 'e2e',
    setupSql: 'CREATE TABLE visits (id int PRIMARY KEY); INSERT INTO visits VALUES (1), (2);',
  });
  files = await mkdtemp(path.join(tmpdir(), 'bp-e2e-files-'));
  await writeFile(path.join(files, 'logo.txt'), 'logo v1');
});

afterAll(async () => {
  await stopWorld(world);
  if (site) await onSource(`DROP DATABASE IF EXISTS ${site.name}`).catch(() => undefined);
  await analytics?.drop().catch(() => undefined);
  if (files) await rm(files, { recursive: true, force: true });
});

describe('templates that span engines', () => {
  it('refuses bad mariadb and directory sources with a 400 naming the problem', async () => {
    const post = (source: Record<string, unknown>) =>
      world.stack.api.post('/templates', {
        name: `bad-${randomBytes(3).toString('hex')}`,
        hostId: world.stack.hostId,
        sources: [{ name: 'site', ...source }],
      });
    for (const [source, message] of [
      [{ kind: 'mariadb', connectionString: 'mysql://u:p@127.0.0.1:3306' }, /names no database/],
      [
        { kind: 'mariadb', connectionString: 'postgres://u@h/db' },
        /mysql:\/\/user:password@host:port\/db/,
      ],
      [{ kind: 'mariadb', connectionString: 'mysql://127.0.0.1:3306/db' }, /names no user/],
      [{ kind: 'mariadb' }, /connectionString is required/],
      [{ kind: 'directory', path: 'relative/dir' }, /absolute path/],
      [{ kind: 'directory' }, /path is required/],
      [
        { kind: 'oracle', connectionString: 'x' },
        /kind must be one of postgres, mariadb, directory/,
      ],
    ] as const) {
      const answer = await post(source);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(message);
    }
  });

  it('ingests a MariaDB site, a directory and a PostgreSQL database into one template', async () => {
    const { id } = await world.stack.api.operate('POST', '/templates', {
      name: 'frappe-bench',
      hostId: world.stack.hostId,
      sources: [
        { name: 'site', kind: 'mariadb', connectionString: site.connectionString },
        { name: 'files', kind: 'directory', path: files },
        { name: 'analytics', kind: 'postgres', connectionString: analytics.connectionString },
      ],
    });
    templateId = id!;
    const template = await world.stack.api.expect<{
      sources: { name: string; kind: string; connectionString: string }[];
    }>(200, 'GET', `/templates/${templateId}`);
    expect(template.sources.map((s) => `${s.name}:${s.kind}`)).toEqual([
      'site:mariadb',
      'files:directory',
      'analytics:postgres',
    ]);
    expect(template.sources[0]!.connectionString).not.toContain(new URL(adminUrl()).password);
  });

  it('serves each source with its engine, a mysql:// string and a mariadb command', async () => {
    const { id } = await alice.api.operate('POST', '/containers', { name: 'qa-site', templateId });
    qa = await getContainer(alice.api, id!);
    const endpoint = qa.endpoints.find((e) => e.source === 'site')!;
    expect(endpoint).toMatchObject({
      kind: 'mariadb',
      username: 'branchpoint',
      database: site.name,
    });
    expect(endpoint.connectionString).toMatch(
      new RegExp(`^mysql://branchpoint:[^@]+@127\\.0\\.0\\.1:${endpoint.port}/${site.name}`),
    );
    expect(endpoint.command).toBe(
      `mariadb -h 127.0.0.1 -P ${endpoint.port} -u branchpoint -p --ssl ${site.name}`,
    );
    expect(qa.endpoints.find((e) => e.source === 'analytics')).toMatchObject({ kind: 'postgres' });
    expect(qa.endpoints.find((e) => e.source === 'files')).toMatchObject({ kind: 'directory' });
    expect(await names(qa)).toEqual(['home', 'about', 'shop']);
    expect(await filesOf(qa)).toBe('logo v1');
  });
});

describe('story 1 on MariaDB: bookmark before a destructive test, restore, reset, undo', () => {
  it('restores the bookmark after the site table is emptied, every source from one point', async () => {
    await onSite(qa, "INSERT INTO pages (name) VALUES ('edge case')");
    const { id: bookmarkId, job } = await alice.api.operate(
      'POST',
      `/branches/${qa.activeBranchId}/bookmarks`,
      { name: 'after edge case data' },
    );
    await onSite(qa, 'DELETE FROM pages');
    await writeFile(
      path.join(qa.endpoints.find((e) => e.source === 'files')!.path!, 'logo.txt'),
      'broken',
    );
    expect(await names(qa)).toEqual([]);

    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/restore`, { bookmarkId });
    qa = await getContainer(alice.api, qa.id);
    expect(await names(qa)).toEqual(['home', 'about', 'shop', 'edge case']);
    expect(await filesOf(qa)).toBe('logo v1');

    // One point holds all three sources: the recursive snapshot has a child per source.
    const pointId = String(job.result?.['pointId']);
    const response = await world.stack.agentFetch(`${world.stack.agentUrl}/v1/inventory`, {
      headers: { authorization: `Bearer ${world.stack.agentToken}` },
    });
    const inventory = (await response.json()) as AgentInventory;
    const sources = inventory.datasets
      .filter((d) => d.type === 'snapshot' && d.name.endsWith(`@${pointId}`))
      .map((d) => d.name.split('@')[0]!.split('/').pop());
    expect(sources).toHaveLength(4); // the generation and its three sources, in one snapshot -r

    await onSite(qa, 'DELETE FROM pages');
    await alice.api.operate('POST', `/branches/${qa.activeBranchId}/reset`);
    expect(await names(qa)).toEqual(['home', 'about', 'shop', 'edge case']);
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toEqual([]);
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toEqual(['home', 'about', 'shop', 'edge case']);
  });
});

describe('story 2 on MariaDB: a shared bookmark activated by another user', () => {
  it("gives the developer QA's site data on their own endpoint, isolated both ways", async () => {
    await onSite(qa, "INSERT INTO pages (name) VALUES ('BUG-4711 page')");
    const { id } = await alice.api.operate('POST', `/branches/${qa.activeBranchId}/bookmarks`, {
      name: 'BUG-4711 data',
      bugRef: 'BUG-4711',
    });
    bugBookmarkId = id!;
    await alice.api.expect(200, 'POST', `/bookmarks/${bugBookmarkId}/share`, { userIds: [bob.id] });

    const { id: devId } = await bob.api.operate('POST', '/containers', {
      name: 'dev-site',
      templateId,
    });
    dev = await getContainer(bob.api, devId!);
    const before = dev.endpoints.find((e) => e.source === 'site')!.connectionString;
    const { id: branchId } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'bug-4711',
      fromBookmarkId: bugBookmarkId,
    });
    await bob.api.operate('POST', `/branches/${branchId}/activate`);
    dev = await getContainer(bob.api, dev.id);
    expect(dev.endpoints.find((e) => e.source === 'site')!.connectionString).toBe(before);
    expect(await names(dev)).toContain('BUG-4711 page');

    await onSite(dev, "INSERT INTO pages (name) VALUES ('bob was here')");
    await onSite(qa, "INSERT INTO pages (name) VALUES ('alice was here')");
    expect(await names(qa)).not.toContain('bob was here');
    expect(await names(dev)).not.toContain('alice was here');
  });
});

describe('story 3 on MariaDB: A/B branches with different indexes', () => {
  it('switches between a branch with an index and one without on one endpoint', async () => {
    const { id: withIndex } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'with-index',
    });
    const { id: withoutIndex } = await bob.api.operate('POST', `/containers/${dev.id}/branches`, {
      name: 'without-index',
    });
    const hasIndex = async () =>
      (
        await onSite(
          dev,
          "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_NAME = 'pages' AND INDEX_NAME = 'pages_name'",
        )
      ).length === 1;
    await bob.api.operate('POST', `/branches/${withIndex}/activate`);
    await onSite(dev, 'CREATE INDEX pages_name ON pages (name)');
    expect(await hasIndex()).toBe(true);
    await bob.api.operate('POST', `/branches/${withoutIndex}/activate`);
    expect(await hasIndex()).toBe(false);
    await bob.api.operate('POST', `/branches/${withIndex}/activate`);
    expect(await hasIndex()).toBe(true);
  });
});

describe('story 4 on MariaDB: refresh and undo', () => {
  it('brings new source rows into the container, and undo takes them back', async () => {
    await site.query("INSERT INTO $db.pages (name) VALUES ('new page')");
    await world.stack.api.operate('POST', `/templates/${templateId}/refresh`);
    await alice.api.operate('POST', `/containers/${qa.id}/refresh`);
    expect(await names(qa)).toEqual(['home', 'about', 'shop', 'new page']);
    await alice.api.operate('POST', `/containers/${qa.id}/undo`);
    expect(await names(qa)).toContain('BUG-4711 page');
    expect(await names(qa)).not.toContain('new page');
  });
});

describe('a preview on MariaDB: look before restoring', () => {
  interface PreviewView {
    id: string;
    endpoints: {
      source: string;
      kind: string;
      host: string;
      port: number;
      database: string | null;
      username: string;
      password: string;
      connectionString: string;
    }[];
  }
  const asReader = async (endpoint: PreviewView['endpoints'][number], user = endpoint.username) =>
    mysql.createConnection({
      host: endpoint.host,
      port: endpoint.port,
      user,
      password: endpoint.password,
      database: endpoint.database ?? undefined,
      ssl: { ca: await caOf(qa), rejectUnauthorized: true },
    });

  it('serves a bookmark read-only: the tables and rows it holds, a reader that writes nothing, and no other login', async () => {
    await onSite(qa, "INSERT INTO pages (name) VALUES ('previewed')");
    const { id: bookmarkId } = await alice.api.operate(
      'POST',
      `/branches/${qa.activeBranchId}/bookmarks`,
      { name: 'to preview' },
    );
    await onSite(qa, 'DELETE FROM pages');
    const { id } = await alice.api.operate('POST', '/previews', { bookmarkId, minutes: 5 });
    const preview = await alice.api.expect<PreviewView>(200, 'GET', `/previews/${id}`);
    const endpoint = preview.endpoints.find((e) => e.source === 'site')!;
    expect(endpoint.kind).toBe('mariadb');
    expect(endpoint.connectionString).toMatch(
      /^mysql:\/\/branchpoint_reader:.+\?ssl-mode=REQUIRED$/,
    );

    const tables = await alice.api.expect<{ name: string; rows: number }[]>(
      200,
      'GET',
      `/previews/${id}/tables`,
    );
    expect(tables).toContainEqual(expect.objectContaining({ name: `${site.name}.pages` }));
    const rows = await alice.api.expect<{ columns: string[]; rows: unknown[][] }>(
      200,
      'GET',
      `/previews/${id}/tables/${site.name}.pages/rows`,
    );
    expect(rows.columns).toEqual(['id', 'name']);
    expect(rows.rows.map((row) => row[1])).toContain('previewed');

    const reader = await asReader(endpoint);
    try {
      const [found] = await reader.query('SELECT COUNT(*) AS n FROM pages');
      expect(Number((found as Record<string, unknown>[])[0]!['n'])).toBeGreaterThan(0);
      await expect(reader.query("INSERT INTO pages (name) VALUES ('written')")).rejects.toThrow(
        /denied|read-only|read_only/,
      );
      await expect(reader.query('CREATE TABLE sneaky (id int)')).rejects.toThrow();
      await expect(reader.query("SELECT LOAD_FILE('/etc/passwd') AS f")).resolves.toBeDefined();
      const [file] = await reader.query("SELECT LOAD_FILE('/etc/passwd') AS f");
      expect((file as Record<string, unknown>[])[0]!['f']).toBeNull();
    } finally {
      await reader.end();
    }
    // The container's owner (and every account the bookmarked data holds) cannot log in here.
    const owner = qa.endpoints.find((e) => e.source === 'site')!;
    await expect(
      mysql.createConnection({
        host: endpoint.host,
        port: endpoint.port,
        user: owner.username,
        password: owner.password,
        ssl: { ca: await caOf(qa), rejectUnauthorized: true },
      }),
    ).rejects.toThrow();
    await alice.api.expect(204, 'DELETE', `/previews/${id}`);
    await expect(asReader(endpoint)).rejects.toThrow();
    // The container was never touched.
    expect(await names(qa)).toEqual([]);
  });
});

describe('compare on MariaDB: two bookmarks, row by row', () => {
  it('counts rows added, removed and changed by primary key, shows the changed column, and the new index', async () => {
    await onSite(qa, 'DELETE FROM pages');
    await onSite(qa, "INSERT INTO pages (id, name) VALUES (1, 'home'), (2, 'about'), (3, 'shop')");
    const { id: before } = await alice.api.operate(
      'POST',
      `/branches/${qa.activeBranchId}/bookmarks`,
      { name: 'compare before' },
    );
    await onSite(qa, "UPDATE pages SET name = 'about us' WHERE id = 2");
    await onSite(qa, 'DELETE FROM pages WHERE id = 3');
    await onSite(qa, "INSERT INTO pages (id, name) VALUES (4, 'blog')");
    await onSite(qa, 'CREATE INDEX pages_name ON pages (name)');
    const { id: after } = await alice.api.operate(
      'POST',
      `/branches/${qa.activeBranchId}/bookmarks`,
      { name: 'compare after' },
    );

    const { id } = await alice.api.operate('POST', '/diffs', { from: before, to: after });
    const diff = await alice.api.expect<{
      state: string;
      unchangedTables: number;
      tables: {
        name: string;
        added: number;
        removed: number;
        changed: number;
        matchedBy: string;
        schema: { kind: string; name: string; change: string }[];
        changedRows: { key: Record<string, unknown>; columns: unknown[] }[];
      }[];
    }>(200, 'GET', `/diffs/${id}`);
    expect(diff.state).toBe('succeeded');
    // Two comparable sources: each table is named after its source; analytics did not change.
    expect(diff.tables.map((table) => table.name)).toEqual([`site/${site.name}.pages`]);
    expect(diff.unchangedTables).toBeGreaterThanOrEqual(1);
    const pages = diff.tables[0]!;
    expect(pages).toMatchObject({ added: 1, removed: 1, changed: 1, matchedBy: 'key' });
    expect(pages.changedRows).toEqual([
      { key: { id: 2 }, columns: [{ name: 'name', from: 'about', to: 'about us' }] },
    ]);
    expect(pages.schema).toContainEqual(
      expect.objectContaining({
        kind: 'index',
        change: 'added',
        name: `${site.name}.pages.pages_name`,
      }),
    );
  });
});
