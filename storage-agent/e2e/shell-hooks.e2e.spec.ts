import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentError,
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

// psql from the agent's PATH, against the server the hook is for (PG* variables), as a superuser.
const MASK_SHELL = [
  'psql -v ON_ERROR_STOP=1 -c "UPDATE customers SET email = md5(email) || \'@shell.invalid\'"',
  'echo "masked $BP_SOURCE_NAME ($BP_SOURCE_ID) of $BP_TEMPLATE_ID in $PGDATABASE"',
].join('\n');
const TIMEOUT_MS = 8000;

describe('shell hooks', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  const originals: string[] = [];
  const ingest = (version: string, hooks: Record<string, unknown>) =>
    call<TemplateVersionStatus & AgentError>('PUT', `/v1/templates/crm/versions/${version}`, {
      sources: [
        { id: 'db', name: 'crm-db', kind: 'postgres', connectionString: source.connectionString },
      ],
      hooks,
    });
  const snapshots = async () =>
    (await execa('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', root])).stdout;

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
    agent = await startAgent({
      root,
      runDir,
      ports: '56350-56399',
      env: { BP_HOOK_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    call = client(agent.url);
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  });

  it('masks a column with afterIngestShell before the snapshot: no clone sees an original value', async () => {
    const answer = await ingest('v1', { afterIngestShell: MASK_SHELL });
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('ready');
    expect(answer.body.hookLog).toEqual([
      'crm-db: afterIngestShell: UPDATE 200',
      `crm-db: afterIngestShell: masked crm-db (db) of crm in ${source.name}`,
    ]);

    const password = 'shell-hook-password';
    await call('PUT', '/v1/containers/c1', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password,
    });
    await call('PUT', '/v1/containers/c1/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const active = await call<ContainerStatus>('PUT', '/v1/containers/c1/active', {
      branchId: 'main',
    });
    expect(active.status).toBe(200);
    // No afterStart hooks, so nothing to report.
    expect(active.body.hookLog).toBeUndefined();
    const rows = await cloneQuery(
      active.body.endpoints[0]?.port as number,
      source.name,
      password,
    )<{ email: string }>('SELECT email FROM customers ORDER BY id');
    expect(rows).toHaveLength(200);
    const seen = new Set(rows.map((row) => row.email));
    for (const email of originals) expect(seen.has(email)).toBe(false);
    for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@shell\.invalid$/);
  });

  it('runs the SQL hooks first, then the shell hook, in the same database', async () => {
    const answer = await ingest('v2', {
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
    const answer = await ingest('v3', {
      afterIngestShell: 'echo "about to fail" >&2\nexit 3\necho never',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('ingest-failed');
    expect(answer.body.message).toBe('afterIngestShell hook on source crm-db exited with code 3');
    expect(answer.body.hookLog).toEqual(['crm-db: afterIngestShell: about to fail']);
    expect(await snapshots()).not.toContain('@v3');
    const mountpoint = (
      await execa('zfs', ['get', '-H', '-o', 'value', 'mountpoint', `${root}/templates/crm/db`])
    ).stdout.trim();
    expect(await readdir(mountpoint)).toEqual([]);
    expect(
      (await call<TemplateVersionStatus>('GET', '/v1/templates/crm/versions/v3')).body.state,
    ).toBe('failed');
  });

  it('fails the ingest when a command of the script fails (sh -e)', async () => {
    const answer = await ingest('v4', {
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
    const answer = await ingest('v5', { afterIngestShell: 'echo waiting\nsleep 120 &\nsleep 120' });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(
      `afterIngestShell hook on source crm-db timed out after ${TIMEOUT_MS} ms`,
    );
    expect(answer.body.hookLog).toEqual(['crm-db: afterIngestShell: waiting']);
    expect(Date.now() - started).toBeLessThan(60_000);
    const sleeping = await execa('pgrep', ['-u', 'postgres', '-f', 'sleep 120'], { reject: false });
    expect(sleeping.stdout).toBe('');
  });

  it('runs afterStartShell in every launched clone server and answers its output', async () => {
    const password = 'after-start-shell';
    const created = await call<ContainerStatus>('PUT', '/v1/containers/c2', {
      sources: [{ id: 'db', name: 'crm-db', kind: 'postgres' }],
      password,
      // Quiet: after a restore the table exists and IF NOT EXISTS would add a notice.
      afterStartSql: [
        'SET LOCAL client_min_messages = warning',
        'CREATE TABLE IF NOT EXISTS starts (at timestamptz)',
      ],
      afterStartShell: [
        'echo "$(id -un) in $BP_CONTAINER_ID/$BP_SOURCE_NAME, cwd $(ls -A | wc -l) files"',
        'psql -v ON_ERROR_STOP=1 -Atc "INSERT INTO starts VALUES (now())"',
      ].join('\n'),
    });
    expect(created.status).toBe(200);
    await call('PUT', '/v1/containers/c2/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const expected = [
      'crm-db: hook 1: SET',
      'crm-db: hook 2: CREATE',
      'crm-db: afterStartShell: postgres in c2/crm-db, cwd 0 files',
      'crm-db: afterStartShell: INSERT 0 1',
    ];
    const active = await call<ContainerStatus>('PUT', '/v1/containers/c2/active', {
      branchId: 'main',
    });
    expect(active.status).toBe(200);
    expect(active.body.hookLog).toEqual(expected);
    const query = cloneQuery(active.body.endpoints[0]?.port as number, source.name, password);
    expect(await query('SELECT * FROM starts')).toHaveLength(1);

    // A running server is not launched again, so no hooks run.
    expect((await call<ContainerStatus>('POST', '/v1/containers/c2/start')).body.hookLog).toBe(
      undefined,
    );
    // A restore stops and starts the servers: the hooks run again, and the answer says so.
    await call('PUT', '/v1/containers/c2/branches/main/points/p1');
    const restored = await call<RestoreResult>(
      'PUT',
      '/v1/containers/c2/branches/main/generations/g1',
      {
        fromPointId: 'p1',
      },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.hookLog).toEqual(expected);
    expect((await call('POST', '/v1/containers/c2/stop')).status).toBe(200);
    const started = await call<ContainerStatus>('POST', '/v1/containers/c2/start');
    expect(started.body.hookLog).toEqual(expected);
  });

  it('fails the start when afterStartShell fails: the server stops, the answer has its output', async () => {
    await call('PUT', '/v1/containers/c3', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password: 'after-start-shell',
      afterStartShell: 'echo "resetting passwords"\nfalse',
    });
    await call('PUT', '/v1/containers/c3/branches/main', {
      origin: { kind: 'template', templateId: 'crm', version: 'v1' },
    });
    const failed = await call<AgentError>('PUT', '/v1/containers/c3/active', { branchId: 'main' });
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe('instance-failed');
    expect(failed.body.message).toBe('afterStartShell hook on source db exited with code 1');
    expect(failed.body.hookLog).toEqual(['db: afterStartShell: resetting passwords']);
    const status = await call<ContainerStatus>('GET', '/v1/containers/c3');
    expect(status.body.endpoints[0]?.running).toBe(false);
  });

  it('refuses empty or oversized scripts and bad source names', async () => {
    expect((await ingest('v6', { afterIngestShell: ' \n ' })).status).toBe(400);
    expect((await ingest('v6', { afterIngestShell: 'x'.repeat(65537) })).status).toBe(400);
    const container = (body: Record<string, unknown>) =>
      call<AgentError>('PUT', '/v1/containers/c4', {
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
