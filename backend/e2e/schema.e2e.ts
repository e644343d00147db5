import { isStale, withClient } from '@branchpoint/testing';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { RefreshWithoutStaging1763953200000 } from '../src/database/migrations/1763953200000-refresh-without-staging.js';
import { VersionOfData1763960400000 } from '../src/database/migrations/1763960400000-version-of-data.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';

const backend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env['DATABASE_URL']!;
const databases = ['single', 'concurrent', 'staging', 'versions'].map(
  (name) => `bp_t_schema_${name}_${randomBytes(4).toString('hex')}`,
);

function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Starts schema-check (migrate, then report pending SQL) against one of the test databases. */
function schemaCheck(database: string) {
  return spawn(process.execPath, [resolve(backend, 'dist/database/schema-check.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl(database) },
  });
}

/** Applies the first `count` migrations to the database, or with `undoLast` reverts the last of them. */
async function migrate(url: string, count: number, undoLast = false) {
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS.slice(0, count),
  }).initialize();
  try {
    if (undoLast) await dataSource.undoLastMigration();
    else await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

async function finished(child: ReturnType<typeof spawn>) {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  return { status, stdout, stderr };
}

beforeAll(async () => {
  if (isStale(resolve(backend, 'dist/main.js'), resolve(backend, 'src'))) {
    spawnSync(
      process.execPath,
      [
        resolve(backend, '../node_modules/typescript/bin/tsc'),
        '-p',
        resolve(backend, 'tsconfig.build.json'),
      ],
      { stdio: 'inherit' },
    );
  }
  for (const database of databases)
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${database}"`));
});

afterAll(async () => {
  for (const database of databases)
    await withClient(adminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    );
});

describe('migrations', () => {
  it('bring an empty database to exactly what the entities describe (no pending migration)', async () => {
    const run = await finished(schemaCheck(databases[0]!));
    expect(run.stdout, 'SQL the entities still need: write a migration').toBe('');
    expect(run.status, run.stderr).toBe(0);
  });

  it('run once when several control planes start on an empty database at the same time', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => finished(schemaCheck(databases[1]!))));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const applied = await withClient(databaseUrl(databases[1]!), (client) =>
      client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id'),
    );
    expect(applied.rows.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('forget the hidden staging branches of earlier refreshes, and nothing else', async () => {
    const url = databaseUrl(databases[2]!);
    const before = MIGRATIONS.indexOf(RefreshWithoutStaging1763953200000);
    await migrate(url, before);
    const [container, user, mine, staging] = [1, 2, 3, 4].map(
      (n) => `00000000-0000-4000-8000-00000000000${n}`,
    );
    await withClient(url, async (client) => {
      for (const [id, name, internal] of [
        [mine, 'default', false],
        [staging, 'refresh-v2-00000000', true],
      ] as const) {
        await client.query(
          `INSERT INTO branch (id, "containerId", name, internal, state, "createdById") VALUES ($1, $2, $3, $4, 'ready', $5)`,
          [id, container, name, internal, user],
        );
        await client.query(
          `INSERT INTO point (id, "branchId", "containerId", type, "createdAt") VALUES (gen_random_uuid(), $1, $2, 'created', now())`,
          [id, container],
        );
      }
    });
    const rows = () =>
      withClient(url, async (client) => ({
        branches: (await client.query('SELECT * FROM branch')).rows,
        points: (await client.query('SELECT "branchId" FROM point')).rows,
      }));

    await migrate(url, before + 1);
    const after = await rows();
    expect(after.branches.map((b: { id: string }) => b.id)).toEqual([mine]);
    expect(after.branches[0]).not.toHaveProperty('internal');
    expect(after.points).toEqual([{ branchId: mine }]);

    await migrate(url, before + 1, true);
    expect((await rows()).branches).toEqual([
      expect.objectContaining({ id: mine, internal: false }),
    ]);
  });

  it('move the template version from the container to its branches and points, and back', async () => {
    const url = databaseUrl(databases[3]!);
    const before = MIGRATIONS.indexOf(VersionOfData1763960400000);
    await migrate(url, before);
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const [container, user, main, other, template, host] = [
      id(1),
      id(2),
      id(3),
      id(4),
      id(5),
      id(6),
    ];
    await withClient(url, async (client) => {
      await client.query(
        `INSERT INTO container (id, name, "templateId", "hostId", "templateVersion", "ownerIds", password, "activeBranchId", state) VALUES ($1, 'qa', $2, $3, 'v2', ARRAY[$4]::uuid[], 'pw', $5, 'ready')`,
        [container, template, host, user, main],
      );
      for (const [branch, createdAt] of [
        [main, '2026-01-01T00:00:00Z'],
        [other, '2026-01-02T00:00:00Z'],
      ] as const) {
        await client.query(
          `INSERT INTO branch (id, "containerId", name, state, "createdById", "createdAt") VALUES ($1, $2, $3, 'ready', $4, $5)`,
          [branch, container, `branch-${branch.slice(-1)}`, user, createdAt],
        );
        await client.query(
          `INSERT INTO point (id, "branchId", "containerId", type, "createdAt") VALUES (gen_random_uuid(), $1, $2, 'created', now())`,
          [branch, container],
        );
      }
    });
    const versions = (table: string) =>
      withClient(
        url,
        async (client) =>
          (await client.query(`SELECT "templateVersion" FROM ${table}`)).rows as {
            templateVersion: string;
          }[],
      );

    await migrate(url, before + 1);
    expect(await versions('branch')).toEqual([
      { templateVersion: 'v2' },
      { templateVersion: 'v2' },
    ]);
    expect(await versions('point')).toEqual([{ templateVersion: 'v2' }, { templateVersion: 'v2' }]);
    await expect(versions('container')).rejects.toThrow(/templateVersion/);

    // Back down, the container gets its active branch's version, which is what the API showed.
    await withClient(url, async (client) => {
      await client.query(`UPDATE branch SET "templateVersion" = 'v3' WHERE id = $1`, [other]);
      await client.query(`UPDATE container SET "activeBranchId" = $1`, [other]);
    });
    await migrate(url, before + 1, true);
    expect(await versions('container')).toEqual([{ templateVersion: 'v3' }]);
    await expect(versions('branch')).rejects.toThrow(/templateVersion/);
  });
});
