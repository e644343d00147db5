import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createSourceDatabase,
  freePort,
  REPO_ROOT,
  cloneCa,
  startStack,
  withClone,
  type SourceDatabase,
  type Stack,
} from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  branchpoint,
  buildCliIfStale,
  CLI,
  CLONE_PORTS,
  pipelineEnv,
  runProgram,
  type Run,
} from './support.js';

// A pipeline's view of Branchpoint (story 5): QA keeps a shared "golden data" bookmark; a CI job
// logs in once, creates a container from that bookmark, exports its connection string, runs its
// tests against the database, bookmarks/restores, and deletes the container again. Everything
// through the built CLI against a real stack (agent + control plane + zfs + PostgreSQL).

const EMPLOYEES_SQL = `
  CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL, salary int NOT NULL);
  INSERT INTO employees (name, salary) VALUES ('Ada', 100), ('Grace', 120), ('Linus', 90);
`;
const CI_PASSWORD = 'ci-password-123';

let stack: Stack;
let source: SourceDatabase;
let templateName: string;
let goldenBookmarkId: string;
let configHome: string;
let env: Record<string, string>;
let containerId: string;
let branchId: string;
/** The clone CA (one agent, so one for every container), to connect over verified TLS. */
let ca: string;

const names = async (connectionString: string): Promise<string[]> =>
  withClone(connectionString, ca, async (client) =>
    (await client.query<{ name: string }>('SELECT name FROM employees ORDER BY id')).rows.map(
      (row) => row.name,
    ),
  );

/** The stdout of a run that must succeed; otherwise fails with its exit code and stderr. */
function ok(run: Run): string {
  if (run.code !== 0) throw new Error(`branchpoint exited with ${run.code}: ${run.stderr}`);
  return run.stdout;
}

beforeAll(async () => {
  buildCliIfStale();
  stack = await startStack({ project: 'cli', clonePorts: CLONE_PORTS });
  source = await createSourceDatabase({ prefix: 'cli', setupSql: EMPLOYEES_SQL });
  templateName = `app-cli-${Date.now()}`;
  await stack.api.operate('POST', '/templates', {
    name: templateName,
    hostId: stack.hostId,
    sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
  });
  // QA's golden data: a container with one more row, bookmarked and shared with everyone.
  const qa = await stack.createUser('qa');
  const templates = await qa.api.expect<{ id: string; name: string }[]>(200, 'GET', '/templates');
  const { id: qaContainerId } = await qa.api.operate('POST', '/containers', {
    name: 'qa-golden',
    templateId: templates.find((t) => t.name === templateName)!.id,
  });
  const qaContainer = await qa.api.expect<{
    activeBranchId: string;
    endpoints: { connectionString: string }[];
  }>(200, 'GET', `/containers/${qaContainerId}`);
  ca = await cloneCa(qa.api, qaContainerId);
  await withClone(qaContainer.endpoints[0]!.connectionString, ca, (client) =>
    client.query("INSERT INTO employees (name, salary) VALUES ('Golden Row', 1)"),
  );
  const { id } = await qa.api.operate('POST', `/branches/${qaContainer.activeBranchId}/bookmarks`, {
    name: 'golden data',
    tags: ['ci'],
  });
  goldenBookmarkId = id!;
  await qa.api.expect(200, 'POST', `/bookmarks/${goldenBookmarkId}/share`, { everyone: true });
  await stack.api.expect(201, 'POST', '/users', {
    username: 'ci-bot',
    password: CI_PASSWORD,
    role: 'user',
  });
  configHome = await mkdtemp(join(tmpdir(), 'bp-cli-e2e-'));
});

afterAll(async () => {
  await source?.drop().catch(() => undefined);
  await stack?.stop();
  if (configHome) await rm(configHome, { recursive: true, force: true });
});

describe('a CI pipeline through the built CLI', () => {
  it('logs in once and stores an API token, not the password, readable only by its owner', async () => {
    const loginEnv = pipelineEnv({ BRANCHPOINT_URL: stack.baseUrl, XDG_CONFIG_HOME: configHome });
    const run = await branchpoint(
      ['login', '--username', 'ci-bot', '--password-stdin'],
      loginEnv,
      `${CI_PASSWORD}\n`,
    );
    ok(run);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Logged in');
    const path = join(configHome, 'branchpoint/config.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o077).toBe(0);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(CI_PASSWORD);
    const stored = JSON.parse(text) as { url: string; token: string };
    expect(stored.url).toBe(stack.baseUrl);

    // --print-token hands a new token to the caller (for a CI secret) and stores nothing.
    const printEnv = pipelineEnv({
      BRANCHPOINT_URL: stack.baseUrl,
      XDG_CONFIG_HOME: join(configHome, 'print'),
    });
    const printed = ok(
      await branchpoint(
        [
          'login',
          '--username',
          'ci-bot',
          '--password-stdin',
          '--token-name',
          'ci secret',
          '--print-token',
        ],
        printEnv,
        CI_PASSWORD,
      ),
    ).trim();
    expect(printed).not.toBe(stored.token);
    await expect(stat(join(configHome, 'print'))).rejects.toThrow();
    expect(
      JSON.parse(
        ok(
          await branchpoint(['--json', 'containers', 'list'], {
            ...printEnv,
            BRANCHPOINT_TOKEN: printed,
          }),
        ),
      ),
    ).toHaveLength(1);

    // The stored token works on its own, and as BRANCHPOINT_TOKEN in a job with no config file.
    env = pipelineEnv({
      BRANCHPOINT_URL: stack.baseUrl,
      BRANCHPOINT_TOKEN: stored.token,
      XDG_CONFIG_HOME: join(configHome, 'none'),
    });
    for (const stepEnv of [loginEnv, env]) {
      // Only QA's container is visible, as a viewer (its bookmark is shared with everyone).
      const containers = JSON.parse(
        ok(await branchpoint(['--json', 'containers', 'list'], stepEnv)),
      ) as { name: string; access: string }[];
      expect(containers.map((container) => [container.name, container.access])).toEqual([
        ['qa-golden', 'viewer'],
      ]);
    }
  });

  it('finds the shared golden bookmark', async () => {
    const found = JSON.parse(
      ok(
        await branchpoint(['--json', 'bookmarks', 'list', '--scope', 'shared', '--tag', 'ci'], env),
      ),
    ) as { id: string; name: string }[];
    expect(found.map((bookmark) => [bookmark.id, bookmark.name])).toEqual([
      [goldenBookmarkId, 'golden data'],
    ]);
    const [header, row] = ok(await branchpoint(['templates', 'list'], env)).split('\n');
    expect(header!.split(/ +/)).toEqual(['ID', 'NAME', 'SOURCES', 'LATEST', 'HOSTS', 'CREATED']);
    // Each source with its engine, then the newest version.
    expect(row).toMatch(new RegExp(`^\\S+ +${templateName} +app-db \\(postgres\\) +v1 `));
  });

  it('creates a container from the bookmark with --wait and prints only its id', async () => {
    // As in docs/ci-recipe.md: the template is the bookmark's.
    const run = await branchpoint(
      [
        'containers',
        'create',
        '--from-bookmark',
        goldenBookmarkId,
        '--name',
        'ci-run-1',
        '--wait',
        '--expires',
        '2h',
      ],
      env,
    );
    containerId = ok(run).trim();
    expect(containerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.stderr).toContain('succeeded 100%');
    const container = JSON.parse(
      ok(await branchpoint(['--json', 'containers', 'show', containerId], env)),
    ) as { state: string; activeBranchId: string; expiresAt: string };
    expect(container.state).toBe('ready');
    const lifetime = new Date(container.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3_600_000);
    expect(lifetime).toBeLessThanOrEqual(2 * 3_600_000);
    branchId = container.activeBranchId;
  });

  it('extends the expiry in one call, protects and unprotects the container', async () => {
    type Expiry = { expiresAt: string | null; protected: boolean };
    const expiry = async (...args: string[]) =>
      JSON.parse(
        ok(await branchpoint(['--json', 'containers', ...args, containerId], env)),
      ) as Expiry;
    const extended = JSON.parse(
      ok(await branchpoint(['--json', 'containers', 'extend', containerId, '3h'], env)),
    ) as Expiry;
    expect(new Date(extended.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 2 * 3_600_000);
    expect(await expiry('protect')).toMatchObject({ protected: true, expiresAt: null });
    // No policy on this server: unprotected, it keeps no expiry until given one.
    expect(await expiry('unprotect')).toMatchObject({ protected: false, expiresAt: null });
    const refused = await branchpoint(['containers', 'extend', containerId, 'soon'], env);
    expect(refused.code).toBe(2);
    ok(await branchpoint(['containers', 'extend', containerId, '2h'], env));
  });

  it('exports DATABASE_URL=$(branchpoint connection-string ...) and runs the tests against it', async () => {
    // The same lines a CI job has; psql stands for the test suite.
    // With a root certificate, libpq's sslmode=require verifies the server's chain too.
    const script = [
      'set -euo pipefail',
      'export DATABASE_URL=$(node "$CLI" connection-string "$CONTAINER_ID")',
      'node "$CLI" ca "$CONTAINER_ID" --output "$CA_FILE"',
      'export PGSSLROOTCERT="$CA_FILE"',
      '"$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -Atc "SELECT count(*) FROM employees WHERE name = \'Golden Row\'"',
      'echo "$DATABASE_URL"',
    ].join('\n');
    const psql = join(process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin', 'psql');
    const run = await runProgram('bash', ['-c', script], {
      ...env,
      PATH: `${dirname(process.execPath)}:${env['PATH']}`,
      CLI,
      CONTAINER_ID: containerId,
      PSQL: psql,
      CA_FILE: join(configHome, 'ca.pem'),
    });
    const [count, databaseUrl] = ok(run).trim().split('\n');
    expect(count).toBe('1');
    expect(databaseUrl).toMatch(/^postgres(ql)?:\/\/.*\?sslmode=require$/);
    expect(await readFile(join(configHome, 'ca.pem'), 'utf8')).toBe(ca);
    expect(await names(databaseUrl!)).toEqual(['Ada', 'Grace', 'Linus', 'Golden Row']);
  });

  it('changes a server setting and undoes it, and rotates the password', async () => {
    ok(await branchpoint(['containers', 'set', containerId, 'work_mem=5MB'], env));
    const settings = JSON.parse(
      ok(await branchpoint(['--json', 'containers', 'settings', containerId], env)),
    ) as { settings: Record<string, string> };
    expect(settings.settings['work_mem']).toBe('5MB');
    ok(await branchpoint(['containers', 'undo', containerId], env));
    const undone = JSON.parse(
      ok(await branchpoint(['--json', 'containers', 'settings', containerId], env)),
    ) as { settings: Record<string, string> };
    expect(undone.settings['work_mem']).toBeUndefined();
    const bad = await branchpoint(['containers', 'set', containerId, 'work_mem'], env);
    expect(bad.code).toBe(2);

    const before = ok(await branchpoint(['connection-string', containerId], env)).trim();
    ok(await branchpoint(['containers', 'rotate-password', containerId], env));
    const after = ok(await branchpoint(['connection-string', containerId], env)).trim();
    expect(after).not.toBe(before);
    await expect(names(before)).rejects.toThrow(/password authentication failed/);
    expect(await names(after)).toContain('Golden Row');
  });

  it('bookmarks, survives a destructive test by restoring, and shows it on the timeline', async () => {
    const databaseUrl = ok(await branchpoint(['connection-string', containerId], env)).trim();
    const bookmarkId = ok(
      await branchpoint(
        [
          'bookmarks',
          'create',
          branchId,
          '--name',
          'ci baseline',
          '--tag',
          'ci-run',
          '--expires',
          '2h',
        ],
        env,
      ),
    ).trim();
    const bookmark = JSON.parse(
      ok(await branchpoint(['--json', 'bookmarks', 'show', bookmarkId], env)),
    ) as { tags: string[]; expiresAt: string };
    expect(bookmark.tags).toEqual(['ci-run']);
    expect(new Date(bookmark.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3_600_000);

    await withClone(databaseUrl, ca, (client) => client.query('DELETE FROM employees'));
    expect(await names(databaseUrl)).toEqual([]);
    ok(await branchpoint(['restore', branchId, '--bookmark', bookmarkId], env));
    expect(await names(databaseUrl)).toEqual(['Ada', 'Grace', 'Linus', 'Golden Row']);
    // Undo takes the restore back, and undoing the undo restores again.
    ok(await branchpoint(['containers', 'undo', containerId], env));
    expect(await names(databaseUrl)).toEqual([]);
    ok(await branchpoint(['containers', 'undo', containerId], env));
    expect(await names(databaseUrl)).toEqual(['Ada', 'Grace', 'Linus', 'Golden Row']);

    const points = JSON.parse(ok(await branchpoint(['--json', 'timeline', branchId], env))) as {
      type: string;
      bookmarkId?: string;
    }[];
    expect(points.map((point) => point.type)).toContain('restore');
    expect(points.find((point) => point.type === 'bookmark')?.bookmarkId).toBe(bookmarkId);
    expect(ok(await branchpoint(['timeline', branchId], env))).toMatch(
      /^ID\s+TYPE\s+CREATED\s+BOOKMARK\n/,
    );
  });

  it('branches from the bookmark and activates the branch on the same connection string', async () => {
    const databaseUrl = ok(await branchpoint(['connection-string', containerId], env)).trim();
    const [baseline] = JSON.parse(
      ok(
        await branchpoint(
          ['--json', 'bookmarks', 'list', '--scope', 'mine', '--q', 'ci baseline'],
          env,
        ),
      ),
    ) as { id: string }[];
    await withClone(databaseUrl, ca, (client) =>
      client.query("INSERT INTO employees (name, salary) VALUES ('only on default', 1)"),
    );
    const featureId = ok(
      await branchpoint(
        ['branches', 'create', containerId, '--name', 'feature', '--from-bookmark', baseline!.id],
        env,
      ),
    ).trim();
    ok(await branchpoint(['branches', 'activate', featureId], env));
    const branches = JSON.parse(
      ok(await branchpoint(['--json', 'branches', 'list', containerId], env)),
    ) as { id: string; active: boolean }[];
    expect(branches.filter((branch) => branch.active).map((branch) => branch.id)).toEqual([
      featureId,
    ]);
    expect(ok(await branchpoint(['connection-string', containerId], env)).trim()).toBe(databaseUrl);
    expect(await names(databaseUrl)).toEqual(['Ada', 'Grace', 'Linus', 'Golden Row']);
  });

  it('answers a duplicate branch name with exit code 4 (conflict)', async () => {
    const run = await branchpoint(['branches', 'create', containerId, '--name', 'default'], env);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('already exists');
    expect(run.stdout).toBe('');
  });

  it('deletes the container with --wait; afterwards it is not found (exit code 3)', async () => {
    ok(await branchpoint(['containers', 'delete', containerId], env));
    const run = await branchpoint(['containers', 'show', containerId], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
  });
});

describe('the recipe of docs/ci-recipe.md, run as written', () => {
  /** The "Every run" script, with `branchpoint` the built CLI and `npm test` a query of the data. */
  async function runRecipe(pipelineId: string, testSql: string): Promise<Run> {
    const doc = await readFile(join(REPO_ROOT, 'docs/ci-recipe.md'), 'utf8');
    const recipe = /## Every run[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(recipe).toContain('trap');
    const prelude = [
      'branchpoint() { node "$CLI" "$@"; }',
      'npm() { "$PSQL" "$DATABASE_URL" -v ON_ERROR_STOP=1 -Atc "$TEST_SQL"; }',
    ].join('\n');
    return runProgram('bash', ['-c', `${prelude}\n${recipe}`], {
      ...env,
      PATH: `${dirname(process.execPath)}:${env['PATH']}`,
      CLI,
      PSQL: join(process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin', 'psql'),
      BASELINE_BOOKMARK: goldenBookmarkId,
      CI_PIPELINE_ID: pipelineId,
      TEST_SQL: testSql,
    });
  }

  /** Waits until the pipeline's container is gone (the trap deletes it without waiting). */
  async function expectDeleted(name: string): Promise<void> {
    const api = stack.api.as(env['BRANCHPOINT_TOKEN']!);
    for (let attempt = 0; attempt < 120; attempt++) {
      const containers = await api.expect<{ name: string }[]>(200, 'GET', '/containers');
      if (!containers.some((container) => container.name === name)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`container ${name} was not deleted`);
  }

  it('runs the tests against the bookmarked data and deletes the container', async () => {
    const run = await runRecipe(
      'recipe-ok',
      "SELECT count(*) FROM employees WHERE name = 'Golden Row'",
    );
    // The test's output, then what the trap's `--no-wait` prints.
    expect(ok(run).split('\n')[0]).toBe('1');
    await expectDeleted('ci-recipe-ok');
  });

  it('fails with the tests, and its trap still deletes the container', async () => {
    const run = await runRecipe('recipe-failing', 'SELECT 1/0');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('division by zero');
    await expectDeleted('ci-recipe-failing');
  });
});

describe('exit codes a pipeline can branch on', () => {
  it('3 for an id that does not exist', async () => {
    expect(
      (await branchpoint(['jobs', 'show', '00000000-0000-4000-8000-000000000000'], env)).code,
    ).toBe(3);
  });

  it('2 for bad usage, before anything is sent', async () => {
    const missing = await branchpoint(['restore', branchId], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--bookmark');
    expect((await branchpoint(['containers', 'create'], env)).code).toBe(2);
    expect(
      (await branchpoint(['--json', 'bookmarks', 'list', '--scope', 'nobody'], env)).stdout,
    ).toBe('');
  });

  it('5 for a bad token, and for none', async () => {
    const bad = await branchpoint(['containers', 'list'], {
      ...env,
      BRANCHPOINT_TOKEN: 'not-a-token',
    });
    expect(bad.code).toBe(5);
    const none = await branchpoint(
      ['containers', 'list'],
      pipelineEnv({ BRANCHPOINT_URL: stack.baseUrl, XDG_CONFIG_HOME: join(configHome, 'none') }),
    );
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('branchpoint login');
  });

  it('6 when the server cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const run = await branchpoint(['containers', 'list'], {
      ...env,
      BRANCHPOINT_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('cannot reach');
  });
});

describe('logout', () => {
  it('revokes the stored token: it no longer works anywhere', async () => {
    const loginEnv = pipelineEnv({
      BRANCHPOINT_URL: stack.baseUrl,
      XDG_CONFIG_HOME: join(configHome, 'logout'),
    });
    ok(
      await branchpoint(
        ['login', '--username', 'ci-bot', '--password-stdin'],
        loginEnv,
        CI_PASSWORD,
      ),
    );
    const path = join(configHome, 'logout/branchpoint/config.json');
    const { token } = JSON.parse(await readFile(path, 'utf8')) as { token: string };
    ok(await branchpoint(['logout'], loginEnv));
    await expect(stat(path)).rejects.toThrow();
    const run = await branchpoint(['containers', 'list'], {
      ...loginEnv,
      BRANCHPOINT_TOKEN: token,
    });
    expect(run.code).toBe(5);
  });
});
