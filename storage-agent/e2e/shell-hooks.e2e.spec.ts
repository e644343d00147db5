import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentError,
  ContainerStatus,
  RestoreResult,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import { activeContainer, customers, startWorld, type World } from './harness.js';

// psql from the agent's PATH, against the server the hook is for (PG* variables), as a superuser.
const MASK_SHELL = [
  'psql -v ON_ERROR_STOP=1 -c "UPDATE customers SET email = md5(email) || \'@shell.invalid\'"',
  'echo "masked $BP_SOURCE_NAME ($BP_SOURCE_ID) of $BP_TEMPLATE_ID in $PGDATABASE"',
].join('\n');
const TIMEOUT_MS = 8000;

describe('shell hooks', () => {
  let world: World;
  let originals: string[];
  const snapshots = async () =>
    (await execa('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', world.root])).stdout;

  beforeAll(async () => {
    world = await startWorld({
      ports: '56350-56399',
      rows: 1,
      templateId: 'crm',
      sourceId: 'db',
      sourceName: 'crm-db',
      env: { BP_HOOK_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    originals = await customers(world.source, 200);
  });

  afterAll(() => world?.stop());

  it('masks a column with afterIngestShell before the snapshot: no clone sees an original value', async () => {
    const answer = await world.ingest('v1', { afterIngestShell: MASK_SHELL });
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('ready');
    expect(answer.body.hookLog).toEqual([
      'crm-db: afterIngestShell: UPDATE 200',
      `crm-db: afterIngestShell: masked crm-db (db) of crm in ${world.source.name}`,
    ]);

    const { status, query } = await activeContainer(world, {
      containerId: 'c1',
      password: 'shell-hook-password',
    });
    // No afterStart hooks, so nothing to report.
    expect(status.hookLog).toBeUndefined();
    const rows = await query<{ email: string }>('SELECT email FROM customers ORDER BY id');
    expect(rows).toHaveLength(200);
    const seen = new Set(rows.map((row) => row.email));
    for (const email of originals) expect(seen.has(email)).toBe(false);
    for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@shell\.invalid$/);
  });

  it('runs the SQL hooks first, then the shell hook, in the same database', async () => {
    const answer = await world.ingest('v2', {
      afterIngest: ['CREATE TABLE hook_order (step text)', "INSERT INTO hook_order VALUES ('sql')"],
      afterIngestShell: 'psql -Atc "SELECT string_agg(step, \',\') FROM hook_order"',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.hookLog).toEqual([
      'crm-db: hook 1: CREATE',
      'crm-db: hook 2: INSERT 1',
      'crm-db: afterIngestShell: sql',
    ]);
  });

  it('fails the ingest when the shell hook exits non-zero: typed error, its output, no version, no raw copy', async () => {
    const answer = await world.ingest('v3', {
      afterIngestShell: 'echo "about to fail" >&2\nexit 3\necho never',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('ingest-failed');
    expect(answer.body.message).toBe('afterIngestShell hook on source crm-db exited with code 3');
    expect(answer.body.hookLog).toEqual(['crm-db: afterIngestShell: about to fail']);
    expect(await snapshots()).not.toContain('@v3');
    const mountpoint = (
      await execa('zfs', [
        'get',
        '-H',
        '-o',
        'value',
        'mountpoint',
        `${world.root}/templates/crm/db`,
      ])
    ).stdout.trim();
    expect(await readdir(mountpoint)).toEqual([]);
    expect(
      (await world.call<TemplateVersionStatus>('GET', '/v1/templates/crm/versions/v3')).body.state,
    ).toBe('failed');
  });

  it('fails the ingest when a command of the script fails (sh -e)', async () => {
    const answer = await world.ingest('v4', {
      afterIngestShell: 'psql -v ON_ERROR_STOP=1 -c "UPDATE no_such_table SET x = 1"\necho never',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/afterIngestShell hook on source crm-db exited with code/);
    expect(answer.body.hookLog?.join('\n')).toContain('no_such_table');
    expect(answer.body.hookLog?.join('\n')).not.toContain('never');
    expect(await snapshots()).not.toContain('@v4');
  });

  it('kills a shell hook that runs past the timeout, with what it started', async () => {
    const started = Date.now();
    // A length of its own, so the check below finds this hook's sleeps and no other process's.
    const sleep = `sleep ${1000 + Math.floor(Math.random() * 9000)}`;
    const answer = await world.ingest('v5', {
      afterIngestShell: `echo waiting\n${sleep} &\n${sleep}`,
    });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(
      `afterIngestShell hook on source crm-db timed out after ${TIMEOUT_MS} ms`,
    );
    expect(answer.body.hookLog).toEqual(['crm-db: afterIngestShell: waiting']);
    expect(Date.now() - started).toBeLessThan(60_000);
    const sleeping = await execa('pgrep', ['-f', `^${sleep}$`], { reject: false });
    expect(sleeping.stdout).toBe('');
  });

  it('runs afterStartShell in every launched clone server and answers its output', async () => {
    const expected = [
      'crm-db: hook 1: SET',
      'crm-db: hook 2: CREATE',
      // The container's own uid from BP_TENANT_UIDS: never root, never postgres.
      expect.stringMatching(/^crm-db: afterStartShell: uid 3\d{6} in c2\/crm-db, cwd 0 files$/),
      'crm-db: afterStartShell: INSERT 0 1',
    ];
    const { status, query } = await activeContainer(world, {
      containerId: 'c2',
      password: 'after-start-shell',
      settings: {
        sources: [{ id: 'db', name: 'crm-db', kind: 'postgres' }],
        // Quiet: after a restore the table exists and IF NOT EXISTS would add a notice.
        afterStartSql: [
          'SET LOCAL client_min_messages = warning',
          'CREATE TABLE IF NOT EXISTS starts (at timestamptz)',
        ],
        afterStartShell: [
          'echo "uid $(id -u) in $BP_CONTAINER_ID/$BP_SOURCE_NAME, cwd $(ls -A | wc -l) files"',
          'psql -v ON_ERROR_STOP=1 -Atc "INSERT INTO starts VALUES (now())"',
        ].join('\n'),
      },
    });
    expect(status.hookLog).toEqual(expected);
    expect(await query('SELECT * FROM starts')).toHaveLength(1);

    // A running server is not launched again, so no hooks run.
    expect(
      (await world.call<ContainerStatus>('POST', '/v1/containers/c2/start')).body.hookLog,
    ).toBe(undefined);
    // A restore stops and starts the servers: the hooks run again, and the answer says so.
    await world.call('PUT', '/v1/containers/c2/branches/main/points/p1');
    const restored = await world.call<RestoreResult>(
      'PUT',
      '/v1/containers/c2/branches/main/generations/g1',
      {
        fromPointId: 'p1',
      },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.hookLog).toEqual(expected);
    expect((await world.call('POST', '/v1/containers/c2/stop')).status).toBe(200);
    const started = await world.call<ContainerStatus>('POST', '/v1/containers/c2/start');
    expect(started.body.hookLog).toEqual(expected);
  });

  it('fails the start when afterStartShell fails: the server stops, the answer has its output', async () => {
    await world.call('PUT', '/v1/containers/c3', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password: 'after-start-shell',
      afterStartShell: 'echo "resetting passwords"\nfalse',
    });
    await world.call('PUT', '/v1/containers/c3/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const failed = await world.call<AgentError>('PUT', '/v1/containers/c3/active', {
      branchId: 'main',
    });
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe('instance-failed');
    expect(failed.body.message).toBe('afterStartShell hook on source db exited with code 1');
    expect(failed.body.hookLog).toEqual(['db: afterStartShell: resetting passwords']);
    const status = await world.call<ContainerStatus>('GET', '/v1/containers/c3');
    expect(status.body.endpoints[0]?.running).toBe(false);
  });

  it('refuses empty or oversized scripts and bad source names', async () => {
    expect((await world.ingest('v6', { afterIngestShell: ' \n ' })).status).toBe(400);
    expect((await world.ingest('v6', { afterIngestShell: 'x'.repeat(65537) })).status).toBe(400);
    const container = (body: Record<string, unknown>) =>
      world.call<AgentError>('PUT', '/v1/containers/c4', {
        sources: [{ id: 'db', kind: 'postgres' }],
        password: 'long-enough-password',
        ...body,
      });
    expect((await container({ afterStartShell: '' })).status).toBe(400);
    const badName = await container({ sources: [{ id: 'db', kind: 'postgres', name: 'A B' }] });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toContain('body.sources.0.name');
    expect(await snapshots()).not.toContain('@v6');
  });
});
