import { isStale, withClient } from '@branchpoint/testing';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { RefreshWithoutStaging1763953200000 } from '../src/database/migrations/1763953200000-refresh-without-staging.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';

const backend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env['DATABASE_URL']!;
const databases = ['single', 'concurrent', 'staging'].map(
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
    const migrate = async (count: number, undoLast = false) => {
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
    };
    const before = MIGRATIONS.indexOf(RefreshWithoutStaging1763953200000);
    await migrate(before);
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

    await migrate(before + 1);
    const after = await rows();
    expect(after.branches.map((b: { id: string }) => b.id)).toEqual([mine]);
    expect(after.branches[0]).not.toHaveProperty('internal');
    expect(after.points).toEqual([{ branchId: mine }]);

    await migrate(before + 1, true);
    expect((await rows()).branches).toEqual([
      expect.objectContaining({ id: mine, internal: false }),
    ]);
  });
});
