import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from './context.js';
import { ExitCode } from './errors.js';
import { run } from './main.js';

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs the CLI against canned answers (`'POST /containers'` → answer) and records every
 * request. By default with BRANCHPOINT_URL/BRANCHPOINT_TOKEN set and no config file.
 */
async function cli(
  args: string[],
  routes: Record<string, Answer> = {},
  options: {
    env?: Record<string, string | undefined>;
    stdin?: string;
    /** Called before answering; may throw, as fetch does when the server cannot be reached. */
    intercept?: (route: string) => void;
  } = {},
) {
  const requests: { route: string; body: unknown; authorization: string | undefined }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const { pathname, search } = new URL(url);
    const route = `${init.method} ${pathname.replace(/^\/api\/v1/, '')}${search}`;
    options.intercept?.(route);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({
      route,
      body,
      authorization: (init.headers as Record<string, string>)['authorization'],
    });
    const answer = routes[route] ?? {
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: `no route ${route}` },
    };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      ...(answer.headers ? { headers: answer.headers } : {}),
    });
  }) as typeof globalThis.fetch;
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: {
      BRANCHPOINT_URL: 'http://bp.test',
      BRANCHPOINT_TOKEN: 'tok',
      XDG_CONFIG_HOME: '/nonexistent',
      ...options.env,
    },
    fetch,
  };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join(''), requests };
}

const TEMPLATE = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'app',
  hostId: 'h',
  hosts: [{ hostId: 'h', origin: true, version: null, state: 'replicating', error: null }],
  sources: [{ id: 's', name: 'app-db', kind: 'postgres' }],
  latestVersion: null,
  createdAt: '2026-11-23T09:00:00Z',
};
const CONTAINER_ID = '22222222-2222-4222-8222-222222222222';
const BOOKMARK_ID = '33333333-3333-4333-8333-333333333333';
const succeeded = {
  status: 200,
  body: {
    id: 'j1',
    type: 'container.create',
    containerId: CONTAINER_ID,
    state: 'succeeded',
    progress: 100,
  },
};

function endpoint(source: string, port: number) {
  return {
    source,
    host: '127.0.0.1',
    port,
    database: 'app',
    username: 'bp',
    password: 'pw',
    connectionString: `postgres://bp:pw@127.0.0.1:${port}/app`,
    kind: 'postgres',
    command: `psql "postgres://bp@127.0.0.1:${port}/app?sslmode=require"`,
    path: null,
  };
}

describe('usage errors exit with 2 before anything is sent', () => {
  it.each([
    [['restore', 'b1']],
    [['restore', 'b1', '--bookmark', 'a', '--point', 'b']],
    [['branches', 'create', 'c1', '--name', 'x', '--from-bookmark', 'a', '--from-point', 'b']],
    [['bookmarks', 'share', 'b1']],
    [['bookmarks', 'share', 'b1', '--user', 'alice', '--everyone']],
    [['bookmarks', 'create', 'br', '--name', 'x', '--expires', 'soon']],
    [['bookmarks', 'list', '--scope', 'everything']],
    [['containers', 'create']],
    [['containers', 'create', '--template', 'app', '--wait-timeout', 'forever']],
    [['containers', 'create', '--template', 'app', '--expires', '2 hours']],
    [['branches', 'create', 'c1', '--name', 'x', '--expires', '2']],
    [['branches', 'extend', 'b1', 'tomorrow']],
    [['containers', 'extend', 'c1']],
    [['containers', 'frobnicate']],
    [['no-such-command']],
    [['connection-string']],
    [[]],
    [['--url', 'ftp://bp', 'containers', 'list']],
  ])('%j', async (args) => {
    const result = await cli(args);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).not.toBe('');
    expect(result.requests).toEqual([]);
  });

  it('--help and --version exit with 0', async () => {
    expect((await cli(['--help'])).code).toBe(ExitCode.ok);
    const version = await cli(['--version']);
    expect(version.code).toBe(ExitCode.ok);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('global options', () => {
  it('are accepted after the command too', async () => {
    const result = await cli(['containers', 'list', '--json', '--url', 'http://other.test/'], {
      'GET /containers?limit=500': { status: 200, body: [] },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe('templates list', () => {
  it('lists every page of templates', async () => {
    const other = { ...TEMPLATE, id: '66666666-6666-4666-8666-666666666666', name: 'billing' };
    const result = await cli(['--json', 'templates', 'list'], {
      'GET /templates?limit=500': {
        status: 200,
        body: [TEMPLATE],
        headers: { 'X-Next-Cursor': 'c2' },
      },
      'GET /templates?limit=500&cursor=c2': { status: 200, body: [other] },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)).toEqual([TEMPLATE, other]);
  });
});

describe('containers create', () => {
  const routes = {
    'GET /templates?limit=500': { status: 200, body: [TEMPLATE] },
    'POST /containers': { status: 202, body: { jobId: 'j1', id: CONTAINER_ID } },
    'GET /jobs/j1': succeeded,
  };

  it('resolves the template by name, waits for the job and prints only the id', async () => {
    const result = await cli(
      [
        'containers',
        'create',
        '--template',
        'app',
        '--from-bookmark',
        BOOKMARK_ID,
        '--name',
        'ci-1',
        '--expires',
        '2h',
      ],
      routes,
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe(`${CONTAINER_ID}\n`);
    const request = result.requests.find((r) => r.route === 'POST /containers')!;
    expect(request).toMatchObject({
      body: {
        name: 'ci-1',
        templateId: TEMPLATE.id,
        fromBookmarkId: BOOKMARK_ID,
        expiresIn: '2h',
      },
      authorization: 'Bearer tok',
    });
    expect(result.stderr).toContain('succeeded 100%');
  });

  it('with --json, prints the accepted answer and the finished job', async () => {
    const result = await cli(['--json', 'containers', 'create', '--template', 'app'], routes);
    expect(result.code).toBe(ExitCode.ok);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ jobId: 'j1', id: CONTAINER_ID, job: { state: 'succeeded' } });
    expect(result.requests.find((r) => r.route === 'POST /containers')!.body).toMatchObject({
      name: expect.stringMatching(/^app-[0-9a-f]{6}$/),
    });
  });

  it('with --host, sends the id of the host named among those the template may go to', async () => {
    const placement = {
      status: 200,
      body: {
        pinnedHostIds: null,
        hosts: [
          { id: 'a2b1c3d4-0000-4000-8000-000000000002', name: 'local-2', status: 'up' },
          { id: 'a2b1c3d4-0000-4000-8000-000000000001', name: 'local', status: 'up' },
        ],
      },
    };
    const withPlacement = { ...routes, [`GET /templates/${TEMPLATE.id}/placement`]: placement };
    const result = await cli(
      ['containers', 'create', '--template', 'app', '--host', 'local'],
      withPlacement,
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.find((r) => r.route === 'POST /containers')!.body).toMatchObject({
      hostId: 'a2b1c3d4-0000-4000-8000-000000000001',
    });
    const unknown = await cli(
      ['containers', 'create', '--template', 'app', '--host', 'far'],
      withPlacement,
    );
    expect(unknown.code).toBe(ExitCode.notFound);
    expect(unknown.stderr).toContain(
      'template "app" cannot have containers on host "far" (hosts: local-2, local)',
    );
    expect(unknown.requests.map((r) => r.route)).not.toContain('POST /containers');
  });

  it('with --no-wait, prints the id without polling the job', async () => {
    const result = await cli(['containers', 'create', '--template', 'app', '--no-wait'], routes);
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe(`${CONTAINER_ID}\n`);
    expect(result.requests.map((r) => r.route)).not.toContain('GET /jobs/j1');
  });

  it('keeps waiting through a moment the server cannot be reached', async () => {
    let polls = 0;
    const result = await cli(['containers', 'create', '--template', 'app'], routes, {
      intercept: (route) => {
        if (route === 'GET /jobs/j1' && ++polls <= 2)
          throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stderr).toContain('server unreachable, retrying');
    expect(result.stdout).toBe(`${CONTAINER_ID}\n`);
  });

  it("fails with exit code 1 and the job's error when the job fails", async () => {
    const result = await cli(['containers', 'create', '--template', 'app'], {
      ...routes,
      'GET /jobs/j1': {
        status: 200,
        body: { ...succeeded.body, state: 'failed', progress: 30, error: 'no free port' },
      },
    });
    expect(result.code).toBe(ExitCode.failed);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no free port');
  });

  it('takes the template from the bookmark when only --from-bookmark is given', async () => {
    const result = await cli(['containers', 'create', '--from-bookmark', BOOKMARK_ID], {
      ...routes,
      [`GET /bookmarks/${BOOKMARK_ID}`]: {
        status: 200,
        body: { id: BOOKMARK_ID, templateId: TEMPLATE.id },
      },
      [`GET /templates/${TEMPLATE.id}`]: { status: 200, body: TEMPLATE },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.find((r) => r.route === 'POST /containers')!.body).toMatchObject({
      templateId: TEMPLATE.id,
      fromBookmarkId: BOOKMARK_ID,
    });
  });

  it('reports an unknown template as not found (3)', async () => {
    const result = await cli(['containers', 'create', '--template', 'nope'], routes);
    expect(result.code).toBe(ExitCode.notFound);
    expect(result.stderr).toContain('no template named "nope" (templates: app)');
  });
});

describe('containers move', () => {
  const HOST_2 = 'a2b1c3d4-0000-4000-8000-000000000002';
  const routes = {
    [`GET /containers/${CONTAINER_ID}`]: {
      status: 200,
      body: {
        id: CONTAINER_ID,
        name: 'qa',
        templateId: TEMPLATE.id,
        endpoints: [endpoint('app-db', 55123)],
      },
    },
    [`GET /templates/${TEMPLATE.id}`]: { status: 200, body: TEMPLATE },
    [`GET /templates/${TEMPLATE.id}/placement`]: {
      status: 200,
      body: { pinnedHostIds: null, hosts: [{ id: HOST_2, name: 'local-2', status: 'up' }] },
    },
    [`POST /containers/${CONTAINER_ID}/move`]: { status: 202, body: { jobId: 'j1' } },
    'GET /jobs/j1': succeeded,
  };

  it('moves it to the host named, waits, and prints where it answers now', async () => {
    const result = await cli(['containers', 'move', CONTAINER_ID, '--host', 'local-2'], routes);
    expect(result.code).toBe(ExitCode.ok);
    expect(
      result.requests.find((r) => r.route === `POST /containers/${CONTAINER_ID}/move`)!.body,
    ).toEqual({ hostId: HOST_2 });
    expect(result.stderr).toContain('move container "qa" to host local-2: done');
    expect(result.stderr).toContain('app-db: postgres://bp:pw@127.0.0.1:55123/app');
  });

  it('takes the host by id, names it, and says how long the databases were down', async () => {
    const moved = { ...succeeded.body, type: 'move-container', result: { downtimeMs: 5550 } };
    const result = await cli(['containers', 'move', CONTAINER_ID, '--host', HOST_2], {
      ...routes,
      'GET /jobs/j1': { status: 200, body: moved },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stderr).toContain('move container "qa" to host local-2: done');
    expect(result.stderr).toContain('its databases were down for 5.55 s');
  });

  it('with --no-wait prints the job id and no connection string', async () => {
    const result = await cli(
      ['containers', 'move', CONTAINER_ID, '--host', 'local-2', '--no-wait'],
      routes,
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe('j1\n');
    expect(result.stderr).not.toContain('postgres://');
    expect(result.requests.map((r) => r.route)).not.toContain('GET /jobs/j1');
  });

  it('fails (exit 1) with the job error when the move failed, printing no connection string', async () => {
    const failed = { ...succeeded.body, state: 'failed', error: 'host "local-2" is down' };
    const result = await cli(['containers', 'move', CONTAINER_ID, '--host', 'local-2'], {
      ...routes,
      'GET /jobs/j1': { status: 200, body: failed },
    });
    expect(result.code).toBe(ExitCode.failed);
    expect(result.stderr).toContain('move container "qa" to host local-2 failed');
    expect(result.stderr).toContain('host "local-2" is down');
    expect(result.stderr).not.toContain('postgres://');
  });

  it('needs --host, and names the hosts it may go to when the one given is not one', async () => {
    expect((await cli(['containers', 'move', CONTAINER_ID], routes)).code).toBe(ExitCode.usage);
    const unknown = await cli(['containers', 'move', CONTAINER_ID, '--host', 'far'], routes);
    expect(unknown.code).toBe(ExitCode.notFound);
    expect(unknown.stderr).toContain('(hosts: local-2)');
    expect(unknown.requests.map((r) => r.route)).not.toContain(
      `POST /containers/${CONTAINER_ID}/move`,
    );
  });
});

describe('operations without a body', () => {
  it.each([
    [['containers', 'refresh', 'c1'], 'POST /containers/c1/refresh'],
    [['containers', 'undo', 'c1'], 'POST /containers/c1/undo'],
    [['containers', 'start', 'c1'], 'POST /containers/c1/start'],
    [['containers', 'stop', 'c1'], 'POST /containers/c1/stop'],
    [['containers', 'delete', 'c1'], 'DELETE /containers/c1'],
    [['branches', 'activate', 'b1'], 'POST /branches/b1/activate'],
    [['branches', 'delete', 'b1'], 'DELETE /branches/b1'],
    [['reset', 'b1'], 'POST /branches/b1/reset'],
  ])('%j sends %s and waits for the job', async (args, route) => {
    const result = await cli(args, {
      [route]: { status: 202, body: { jobId: 'j1' } },
      'GET /jobs/j1': succeeded,
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.map((r) => r.route)).toEqual([route, 'GET /jobs/j1']);
    expect(result.requests[0]!.body).toBeUndefined();
    expect(result.stdout).toBe('');
  });

  it('with --no-wait, print the job id for `jobs wait`', async () => {
    const result = await cli(['reset', 'b1', '--no-wait'], {
      'POST /branches/b1/reset': { status: 202, body: { jobId: 'j1' } },
    });
    expect(result.stdout).toBe('j1\n');
  });
});

describe('expiry', () => {
  const expiry = (over: Record<string, unknown> = {}) => ({
    status: 200,
    body: {
      id: 'x1',
      expiresAt: '2026-11-30T09:00:00.000Z',
      protected: false,
      expiryBlockedReason: null,
      ...over,
    },
  });

  it.each([
    [['containers', 'extend', 'c1', '7d'], 'PATCH /containers/c1', { expiresIn: '7d' }],
    [['branches', 'extend', 'b1', '2h'], 'PATCH /branches/b1', { expiresIn: '2h' }],
    [['bookmarks', 'extend', 'm1', '1w'], 'PATCH /bookmarks/m1', { expiresIn: '1w' }],
    [['containers', 'protect', 'c1'], 'PATCH /containers/c1', { protected: true }],
    [['branches', 'unprotect', 'b1'], 'PATCH /branches/b1', { protected: false }],
    [['bookmarks', 'protect', 'm1'], 'PATCH /bookmarks/m1', { protected: true }],
  ])('%j sends one %s', async (args, route, body) => {
    const result = await cli(args, { [route]: expiry() });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests).toEqual([expect.objectContaining({ route, body })]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/ (now expires 2026-11-30 09:00:00Z|is protected|expires )/);
  });

  it('with --json, prints the changed object', async () => {
    const answer = expiry({ protected: true, expiresAt: null });
    const result = await cli(['--json', 'branches', 'protect', 'b1'], {
      'PATCH /branches/b1': answer,
    });
    expect(JSON.parse(result.stdout)).toEqual(answer.body);
  });

  it('branches create sends the --expires duration', async () => {
    const result = await cli(['branches', 'create', 'c1', '--name', 'bug-1', '--expires', '2d'], {
      'POST /containers/c1/branches': { status: 202, body: { jobId: 'j1', id: 'b1' } },
      'GET /jobs/j1': succeeded,
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests[0]!.body).toEqual({ name: 'bug-1', expiresIn: '2d' });
  });

  it('a refusal of the policy (400) is a usage error naming the limit', async () => {
    const message = 'expiresIn exceeds the maximum of 30d for containers';
    const result = await cli(['containers', 'extend', 'c1', '60d'], {
      'PATCH /containers/c1': { status: 400, body: { statusCode: 400, error: 'x', message } },
    });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toBe(`branchpoint: ${message}\n`);
  });

  it('lists show protection, the expiry, and why an expired branch is kept', async () => {
    const branch = {
      id: 'b1',
      containerId: 'c1',
      name: 'default',
      state: 'ready',
      active: true,
      originPointId: null,
      originBookmarkId: null,
      createdAt: '2026-11-23T09:00:00Z',
    };
    const result = await cli(['branches', 'list', 'c1'], {
      'GET /containers/c1/branches?limit=500': {
        status: 200,
        body: [
          {
            ...branch,
            expiresAt: '2026-11-23T10:00:00Z',
            protected: false,
            expiryBlockedReason: 'branch "default" is active',
          },
          { ...branch, id: 'b2', name: 'keep', active: false, expiresAt: null, protected: true },
        ],
      },
    });
    expect(result.stdout).toContain('2026-11-23 10:00:00Z (kept: branch "default" is active)');
    expect(result.stdout).toMatch(/keep .* protected/);
  });
});

describe('answers of the server become exit codes', () => {
  it.each([
    [404, 'branch.not-found', ExitCode.notFound],
    [409, 'container.locked', ExitCode.conflict],
    [401, 'auth.token-invalid', ExitCode.auth],
    [403, 'access.owners-only', ExitCode.auth],
    [429, 'auth.too-many-logins', ExitCode.auth],
    [400, 'request.invalid', ExitCode.usage],
    [503, 'agent.unavailable', ExitCode.unavailable],
    [503, 'metadata.unavailable', ExitCode.unavailable],
    [503, 'agent.certificate-changed', ExitCode.failed],
    [502, 'agent.failed', ExitCode.failed],
    // The code decides, not the status (a proxy may rewrite statuses).
    [500, 'container.locked', ExitCode.conflict],
  ])('%i %s → %i', async (status, errorCode, code) => {
    const result = await cli(['reset', 'b1'], {
      'POST /branches/b1/reset': {
        status,
        body: { statusCode: status, error: 'x', code: errorCode, message: 'refused: because' },
      },
    });
    expect(result.code).toBe(code);
    expect(result.stderr).toBe('branchpoint: refused: because\n');
  });

  it.each([
    [404, ExitCode.notFound],
    [409, ExitCode.conflict],
    [401, ExitCode.auth],
    [400, ExitCode.usage],
    [502, ExitCode.failed],
  ])('an answer without a code falls back on its status: %i → %i', async (status, code) => {
    const result = await cli(['reset', 'b1'], {
      'POST /branches/b1/reset': { status, body: { message: 'from a proxy' } },
    });
    expect(result.code).toBe(code);
  });
});

describe('engines', () => {
  it('lists templates with the engine of each source', async () => {
    const result = await cli(['templates', 'list'], {
      'GET /templates?limit=500': {
        status: 200,
        body: [
          {
            ...TEMPLATE,
            sources: [
              { id: 's1', name: 'site', kind: 'mariadb' },
              { id: 's2', name: 'files', kind: 'directory' },
            ],
          },
        ],
      },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toContain('site (mariadb),files (directory)');
  });

  it('lists the hosts each template is on', async () => {
    const result = await cli(['templates', 'list'], {
      'GET /templates?limit=500': {
        status: 200,
        body: [
          {
            ...TEMPLATE,
            hosts: [
              { hostId: 'h', origin: true, version: 'v2', state: 'ready', error: null },
              { hostId: 'h2', origin: false, version: 'v1', state: 'replicating', error: null },
            ],
          },
        ],
      },
    });
    expect(result.stdout).toContain('h (origin v2),h2 (replicating v1)');
  });

  it.each([
    [['templates', 'hosts', 'add', 't1', 'h2'], 'POST /templates/t1/hosts', { hostId: 'h2' }],
    [['templates', 'hosts', 'remove', 't1', 'h2'], 'DELETE /templates/t1/hosts/h2', undefined],
  ])('%j sends %s and waits for the job', async (args, route, body) => {
    const result = await cli(args, {
      [route]: { status: 202, body: { jobId: 'j1' } },
      'GET /jobs/j1': succeeded,
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.map((r) => r.route)).toEqual([route, 'GET /jobs/j1']);
    expect(result.requests[0]!.body).toEqual(body);
  });

  it('prints the mysql:// connection string of a mariadb source', async () => {
    const site = {
      ...endpoint('site', 55003),
      kind: 'mariadb',
      connectionString: 'mysql://bp:pw@127.0.0.1:55003/shop?ssl-mode=REQUIRED',
      command: 'mariadb -h 127.0.0.1 -P 55003 -u bp -p --ssl shop',
    };
    const result = await cli(['connection-string', CONTAINER_ID, '--source', 'site'], {
      [`GET /containers/${CONTAINER_ID}`]: {
        status: 200,
        body: { id: CONTAINER_ID, state: 'ready', endpoints: [site], branches: [] },
      },
    });
    expect(result.stdout).toBe('mysql://bp:pw@127.0.0.1:55003/shop?ssl-mode=REQUIRED\n');
  });
});

describe('connection-string', () => {
  const detail = (endpoints: unknown[]) => ({
    status: 200,
    body: { id: CONTAINER_ID, state: 'ready', endpoints, branches: [] },
  });

  it('prints only the connection string', async () => {
    const result = await cli(['connection-string', CONTAINER_ID], {
      [`GET /containers/${CONTAINER_ID}`]: detail([endpoint('app-db', 55001)]),
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe('postgres://bp:pw@127.0.0.1:55001/app\n');
  });

  it('refuses a container that is not ready, or whose endpoints are not shown to you', async () => {
    const creating = await cli(['connection-string', CONTAINER_ID], {
      [`GET /containers/${CONTAINER_ID}`]: {
        status: 200,
        body: {
          id: CONTAINER_ID,
          state: 'creating',
          endpoints: [endpoint('app-db', 55001)],
          branches: [],
        },
      },
    });
    expect(creating.code).toBe(ExitCode.failed);
    expect(creating.stderr).toContain('is creating');
    const viewer = await cli(['connection-string', CONTAINER_ID], {
      [`GET /containers/${CONTAINER_ID}`]: detail([]),
    });
    expect(viewer.code).toBe(ExitCode.failed);
    expect(viewer.stdout).toBe('');
  });

  it('asks which source when there are several, and knows them by name', async () => {
    const routes = {
      [`GET /containers/${CONTAINER_ID}`]: detail([
        endpoint('app-db', 55001),
        endpoint('audit', 55002),
      ]),
    };
    const ambiguous = await cli(['connection-string', CONTAINER_ID], routes);
    expect(ambiguous.code).toBe(ExitCode.usage);
    expect(ambiguous.stderr).toContain('app-db, audit');
    expect(
      (await cli(['connection-string', CONTAINER_ID, '--source', 'audit'], routes)).stdout,
    ).toBe('postgres://bp:pw@127.0.0.1:55002/app\n');
    expect((await cli(['connection-string', CONTAINER_ID, '--source', 'nope'], routes)).code).toBe(
      ExitCode.notFound,
    );
  });
});

describe('bookmarks', () => {
  it('create sends tags, bug reference and the --expires duration', async () => {
    const result = await cli(
      [
        'bookmarks',
        'create',
        'br1',
        '--name',
        'BUG-4711 data',
        '--tag',
        'qa',
        '--tag',
        'bug',
        '--bug-ref',
        'BUG-4711',
        '--expires',
        '7d',
      ],
      {
        'POST /branches/br1/bookmarks': { status: 202, body: { jobId: 'j1', id: BOOKMARK_ID } },
        'GET /jobs/j1': succeeded,
      },
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe(`${BOOKMARK_ID}\n`);
    expect(result.requests[0]!.body).toEqual({
      name: 'BUG-4711 data',
      tags: ['qa', 'bug'],
      bugRef: 'BUG-4711',
      expiresIn: '7d',
    });
  });

  it('share resolves user names to ids, on whichever page of users they are', async () => {
    const result = await cli(['bookmarks', 'share', BOOKMARK_ID, '--user', 'alice'], {
      'GET /users?limit=500': {
        status: 200,
        body: [{ id: '55555555-5555-4555-8555-555555555555', username: 'aaron', role: 'user' }],
        headers: { 'X-Next-Cursor': 'c2' },
      },
      'GET /users?limit=500&cursor=c2': {
        status: 200,
        body: [
          {
            id: '44444444-4444-4444-8444-444444444444',
            username: 'alice',
            role: 'user',
            createdAt: '2026-11-23T09:00:00Z',
          },
        ],
      },
      [`POST /bookmarks/${BOOKMARK_ID}/share`]: { status: 200, body: { id: BOOKMARK_ID } },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.at(-1)!.body).toEqual({
      userIds: ['44444444-4444-4444-8444-444444444444'],
    });
  });

  it('list passes scope, tag and search as the query', async () => {
    const result = await cli(
      ['--json', 'bookmarks', 'list', '--scope', 'shared', '--tag', 'qa', '--q', 'BUG 4711'],
      {
        'GET /bookmarks?limit=500&scope=shared&tag=qa&q=BUG+4711': { status: 200, body: [] },
      },
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe('login and logout', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'bp-cli-login-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const configFile = () => join(home, 'branchpoint/config.json');
  const loginRoutes = {
    'POST /auth/login': {
      status: 200,
      body: {
        accessToken: 'session',
        expiresIn: 900,
        refreshToken: 'bpr_x',
        refreshExpiresAt: '2026-12-07T09:00:00Z',
      },
    },
    'POST /tokens': {
      status: 201,
      body: {
        id: 'tok-1',
        name: 'ci',
        token: 'bpt_secret',
        createdAt: '2026-11-23T09:00:00Z',
        lastUsedAt: null,
        expiresAt: '2027-02-21T09:00:00Z',
      },
    },
    'POST /auth/logout': { status: 204 },
  };

  it('asks for the token lifetime given, and refuses one out of range before calling', async () => {
    const env = { XDG_CONFIG_HOME: home, BRANCHPOINT_TOKEN: undefined };
    const login = (days: string) =>
      cli(
        [
          'login',
          '--username',
          'alice',
          '--password-stdin',
          '--token-name',
          'ci',
          '--token-days',
          days,
        ],
        loginRoutes,
        { env, stdin: 'pa55word\n' },
      );
    const ok = await login('30');
    expect(ok.requests.find((r) => r.route === 'POST /tokens')?.body).toEqual({
      name: 'ci',
      expiresInDays: 30,
    });
    const refused = await login('400');
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.requests).toEqual([]);
  });

  it('exchanges the password for an API token and stores only the token', async () => {
    const env = { XDG_CONFIG_HOME: home, BRANCHPOINT_TOKEN: undefined };
    const result = await cli(
      ['login', '--username', 'alice', '--password-stdin', '--token-name', 'ci'],
      loginRoutes,
      { env, stdin: 'pa55word\n' },
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.map((r) => [r.route, r.body, r.authorization])).toEqual([
      ['POST /auth/login', { username: 'alice', password: 'pa55word' }, undefined],
      ['POST /tokens', { name: 'ci' }, 'Bearer session'],
      ['POST /auth/logout', undefined, 'Bearer session'],
    ]);
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({
      url: 'http://bp.test',
      token: 'bpt_secret',
      tokenId: 'tok-1',
      username: 'alice',
    });
    expect((await stat(configFile())).mode & 0o777).toBe(0o600);

    // Later commands use it (BRANCHPOINT_URL still points at the same server).
    const list = await cli(
      ['--json', 'containers', 'list'],
      { 'GET /containers?limit=500': { status: 200, body: [] } },
      { env },
    );
    expect(list.requests[0]!.authorization).toBe('Bearer bpt_secret');
  });

  it('refuses to read a password from a pipe without --password-stdin', async () => {
    const result = await cli(['login', '--username', 'alice'], loginRoutes, {
      env: { XDG_CONFIG_HOME: home },
    });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.requests).toEqual([]);
  });

  it('logout revokes the stored token and removes the file; a second logout has nothing to do', async () => {
    const env = { XDG_CONFIG_HOME: home, BRANCHPOINT_TOKEN: undefined };
    await cli(['login', '--username', 'alice', '--password-stdin'], loginRoutes, {
      env,
      stdin: 'pw',
    });
    const result = await cli(['logout'], { 'DELETE /tokens/tok-1': { status: 204 } }, { env });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.requests.map((r) => [r.route, r.authorization])).toEqual([
      ['DELETE /tokens/tok-1', 'Bearer bpt_secret'],
    ]);
    await expect(stat(configFile())).rejects.toThrow();
    const again = await cli(['logout'], {}, { env });
    expect(again.code).toBe(ExitCode.ok);
    expect(again.requests).toEqual([]);
  });

  it('logout still removes the file when the server no longer accepts the token', async () => {
    const env = { XDG_CONFIG_HOME: home, BRANCHPOINT_TOKEN: undefined };
    await cli(['login', '--username', 'alice', '--password-stdin'], loginRoutes, {
      env,
      stdin: 'pw',
    });
    const result = await cli(
      ['logout'],
      { 'DELETE /tokens/tok-1': { status: 401, body: { message: 'invalid token' } } },
      { env },
    );
    expect(result.code).toBe(ExitCode.ok);
    await expect(stat(configFile())).rejects.toThrow();
  });
});
