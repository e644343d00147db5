import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createAgent } from '../agent.js';
import type { CommandRunner } from '../common/command-runner.js';
import type { AgentConfig } from '../config.js';
import { buildApp } from './app.js';

const TOKEN = 'unit-test-token-0123456789';
const config: AgentConfig = {
  host: '127.0.0.1',
  port: 0,
  token: TOKEN,
  dev: false,
  zfsRoot: 'tank/bp',
  pool: 'tank',
  pgBin: '/nonexistent/bin',
  clonePorts: { first: 56000, last: 56010 },
  runDir: '/nonexistent/run',
  cloneHost: '127.0.0.1',
  cloneListen: '127.0.0.1',
  tenantUids: { first: 3000000, last: 3000099 },
  hookTimeoutMs: 600_000,
  tls: {
    certFile: '/nonexistent/run/tls/agent.crt',
    keyFile: '/nonexistent/run/tls/agent.key',
    generate: true,
  },
  faultInjection: false,
  stepLog: false,
};

// Every command the agent would run is recorded; zfs answers "does not exist" to everything.
const commands: string[][] = [];
const spyRunner: CommandRunner = async (file, args) => {
  commands.push([file, ...args]);
  return { stdout: '', stderr: "cannot open 'tank/bp/x': dataset does not exist", exitCode: 1 };
};

const auth = { authorization: `Bearer ${TOKEN}` };
const long = 'a'.repeat(65);
const okIngest = {
  sources: [{ id: 'db', kind: 'postgres', connectionString: 'postgres://u:p@h/db' }],
};
const okContainer = { sources: [{ id: 'db', kind: 'postgres' }], password: 'secret-password' };
const okBranch = { origin: { kind: 'template', templateId: 't1', version: 'v1' } };
const okPreview = {
  containerId: 'c1',
  branchId: 'b1',
  pointId: 'p1',
  password: 'a-reader-password-of-length',
  expiresAt: '2099-01-01T00:00:00Z',
};

type Case = [
  label: string,
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body: unknown,
  expected: RegExp,
];

const cases: Case[] = [
  [
    'slash in template id',
    'PUT',
    '/v1/templates/a%2Fb/versions/v1',
    okIngest,
    /params\.templateId/,
  ],
  ['semicolon in version', 'PUT', '/v1/templates/t1/versions/v1;rm', okIngest, /params\.version/],
  ['dot-dot in a version', 'GET', '/v1/templates/t1/versions/v..1', undefined, /params\.version/],
  ['space in template id', 'DELETE', '/v1/templates/a%20b', undefined, /params\.templateId/],
  ['upper case version', 'DELETE', '/v1/templates/t1/versions/V1', undefined, /params\.version/],
  ['over-long container id', 'PUT', `/v1/containers/${long}`, okContainer, /params\.containerId/],
  ['ingest without sources', 'PUT', '/v1/templates/t1/versions/v1', {}, /body\.sources/],
  [
    'a mariadb source naming no database',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { sources: [{ id: 's1', kind: 'mariadb', connectionString: 'mysql://u:p@127.0.0.1:3306' }] },
    /names no database/,
  ],
  [
    'ingest with a numeric source id',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { sources: [{ id: 7, kind: 'postgres', connectionString: 'x' }] },
    /body\.sources\.0\.id/,
  ],
  [
    'ingest with an unknown kind',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { sources: [{ id: 'db', kind: 'mysql', connectionString: 'x' }] },
    /body\.sources\.0\.kind/,
  ],
  [
    'ingest with a relative directory',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { sources: [{ id: 'files', kind: 'directory', path: 'data/../etc' }] },
    /body\.sources\.0\.path/,
  ],
  [
    'ingest with an unknown field',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { ...okIngest, extra: 1 },
    /extra/,
  ],
  [
    'duplicate source ids',
    'PUT',
    '/v1/templates/t1/versions/v1',
    { sources: [okIngest.sources[0], okIngest.sources[0]] },
    /unique/,
  ],
  ['unknown query field', 'GET', '/v1/templates/t1/versions/v1?verbose=1', undefined, /verbose/],
  [
    'defer not a boolean',
    'DELETE',
    '/v1/templates/t1/versions/v1?defer=maybe',
    undefined,
    /query\.defer/,
  ],
  [
    'container password too short',
    'PUT',
    '/v1/containers/c1',
    { ...okContainer, password: 'x' },
    /body\.password/,
  ],
  [
    'container password a number',
    'PUT',
    '/v1/containers/c1',
    { ...okContainer, password: 12345678 },
    /body\.password/,
  ],
  ['container without body', 'PUT', '/v1/containers/c1', undefined, /body/],
  ['bad container id on GET', 'GET', '/v1/containers/c..1', undefined, /params\.containerId/],
  [
    'bad container id on DELETE',
    'DELETE',
    '/v1/containers/c%3B1',
    undefined,
    /params\.containerId/,
  ],
  [
    'activate with a bad branch id',
    'PUT',
    '/v1/containers/c1/active',
    { branchId: '../x' },
    /body\.branchId/,
  ],
  ['start with a body', 'POST', '/v1/containers/c1/start', { now: true }, /now/],
  ['stop with a bad id', 'POST', '/v1/containers/C1/stop', undefined, /params\.containerId/],
  [
    'activity with a bad id',
    'GET',
    '/v1/containers/c%3B1/activity',
    undefined,
    /params\.containerId/,
  ],
  ['activity with a query', 'GET', '/v1/containers/c1/activity?since=1', undefined, /since/],
  [
    'branch from an unknown origin kind',
    'PUT',
    '/v1/containers/c1/branches/b1',
    { origin: { kind: 'backup' } },
    /body\.origin\.kind/,
  ],
  [
    'branch origin with a bad template id',
    'PUT',
    '/v1/containers/c1/branches/b1',
    { origin: { ...okBranch.origin, templateId: 'a b' } },
    /body\.origin\.templateId/,
  ],
  [
    'branch origin point without ids',
    'PUT',
    '/v1/containers/c1/branches/b1',
    { origin: { kind: 'point', containerId: 'c2' } },
    /body\.origin\.branchId/,
  ],
  [
    'bad branch id on DELETE',
    'DELETE',
    '/v1/containers/c1/branches/b%2F1',
    undefined,
    /params\.branchId/,
  ],
  ['bad point id', 'PUT', '/v1/containers/c1/branches/b1/points/p$1', undefined, /params\.pointId/],
  [
    'point delete with a bad query',
    'DELETE',
    '/v1/containers/c1/branches/b1/points/p1?defer=1',
    undefined,
    /query\.defer/,
  ],
  [
    'restore without a point',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    {},
    /body\.fromPointId/,
  ],
  [
    'restore from a point of a bad branch id',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromPointId: 'p1', fromBranchId: 'B1' },
    /body\.fromBranchId/,
  ],
  [
    'restore from a template without a version',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromTemplate: { templateId: 't1' } },
    /body\.fromTemplate\.version/,
  ],
  [
    'restore from a template with a bad template id',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromTemplate: { templateId: 't/1', version: 'v2' } },
    /body\.fromTemplate\.templateId/,
  ],
  [
    'restore from a template that is not an object',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromTemplate: 'v2' },
    /body\.fromTemplate/,
  ],
  [
    'restore from a template and a point at once',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromTemplate: { templateId: 't1', version: 'v2' }, fromPointId: 'p1' },
    /fromPointId/,
  ],
  [
    'restore from a template with an unknown field',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/g1',
    { fromTemplate: { templateId: 't1', version: 'v2', sources: [] } },
    /body\.fromTemplate.*sources/,
  ],
  [
    'restore with a bad generation id',
    'PUT',
    '/v1/containers/c1/branches/b1/generations/-g1',
    { fromPointId: 'p1' },
    /params\.generationId/,
  ],
  ['reset with a body', 'POST', '/v1/containers/c1/branches/b1/reset', { to: 'p1' }, /to/],
  [
    'hold with a bad tag',
    'PUT',
    '/v1/holds/tag%20x',
    { containerId: 'c1', branchId: 'b1', pointId: 'p1' },
    /params\.holdTag/,
  ],
  [
    'hold without a point',
    'PUT',
    '/v1/holds/h1',
    { containerId: 'c1', branchId: 'b1' },
    /body\.pointId/,
  ],
  [
    'release without the point in the query',
    'DELETE',
    '/v1/holds/h1',
    undefined,
    /query\.containerId/,
  ],
  ['malformed JSON', 'PUT', '/v1/containers/c1', '{"sources": [', /JSON/],
  [
    'bad point id on GET',
    'GET',
    '/v1/containers/c1/branches/b1/points/p_1',
    undefined,
    /params\.pointId/,
  ],
  ['inventory with a query', 'GET', '/v1/inventory?all=1', undefined, /all/],
  [
    'a kept role that is no role name',
    'PUT',
    '/v1/containers/c1',
    {
      sources: [{ id: 's1', kind: 'postgres' }],
      password: 'long-enough-password',
      keepRoles: ['app; DROP ROLE x'],
    },
    /body\.keepRoles/,
  ],
  [
    'owner superuser that is no boolean',
    'PUT',
    '/v1/containers/c1',
    {
      sources: [{ id: 's1', kind: 'postgres' }],
      password: 'long-enough-password',
      ownerSuperuser: 'yes',
    },
    /body\.ownerSuperuser/,
  ],
  [
    'a short new password',
    'PUT',
    '/v1/containers/c1/password',
    { password: 'short' },
    /body\.password/,
  ],
  [
    'a setting name with SQL in it',
    'PATCH',
    '/v1/containers/c1/settings',
    { settings: { 'work_mem = 1; DROP TABLE t; --': '1MB' } },
    /settings/,
  ],
  ['no settings at all', 'PATCH', '/v1/containers/c1/settings', { settings: {} }, /at least one/],
  [
    'a setting that names a program',
    'PATCH',
    '/v1/containers/c1/settings',
    { settings: { archive_command: 'curl evil' } },
    /archive_command cannot be changed/,
  ],
  [
    'a setting that moves the server',
    'PATCH',
    '/v1/containers/c1/settings',
    { settings: { listen_addresses: '*' } },
    /listen_addresses cannot be changed/,
  ],
  ['capacity with a query', 'GET', '/v1/capacity?x=1', undefined, /x/],
  [
    'a catalog record on an unknown kind of target',
    'PUT',
    '/v1/catalog',
    { target: { kind: 'bookmark', bookmarkId: 'k1' }, record: {} },
    /body\.target\.kind/,
  ],
  [
    'a catalog record on a bad container id',
    'PUT',
    '/v1/catalog',
    { target: { kind: 'container', containerId: 'c/1' }, record: {} },
    /body\.target\.containerId/,
  ],
  [
    'a catalog record on a point without its branch',
    'PUT',
    '/v1/catalog',
    { target: { kind: 'point', containerId: 'c1', pointId: 'p1' }, record: {} },
    /body\.target\.branchId/,
  ],
  [
    'a catalog record that is no object',
    'PUT',
    '/v1/catalog',
    { target: { kind: 'template', templateId: 't1' }, record: [1, 2] },
    /body\.record/,
  ],
  [
    'a catalog record over the limit',
    'PUT',
    '/v1/catalog',
    { target: { kind: 'template', templateId: 't1' }, record: { hooks: 'x'.repeat(8000) } },
    /body\.record: is 8012 bytes as JSON; the limit is 8000/,
  ],
  ['slash in a preview id', 'PUT', '/v1/previews/a%2Fb', okPreview, /params\.previewId/],
  [
    'a preview without a point',
    'PUT',
    '/v1/previews/p1',
    { ...okPreview, pointId: undefined },
    /body\.pointId/,
  ],
  [
    'a preview with a short password',
    'PUT',
    '/v1/previews/p1',
    { ...okPreview, password: 'short' },
    /body\.password/,
  ],
  [
    'a preview without an expiry',
    'PUT',
    '/v1/previews/p1',
    { ...okPreview, expiresAt: 'tomorrow' },
    /body\.expiresAt/,
  ],
  [
    'a preview that has expired',
    'PUT',
    '/v1/previews/p1',
    { ...okPreview, expiresAt: '2020-01-01T00:00:00Z' },
    /expiresAt 2020-01-01T00:00:00Z has passed/,
  ],
  [
    'a preview with a stray field',
    'PUT',
    '/v1/previews/p1',
    { ...okPreview, superuser: true },
    /superuser/,
  ],
  ['upper case in a preview id', 'DELETE', '/v1/previews/P1', undefined, /params\.previewId/],
];

describe('agent HTTP routes', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = buildApp(createAgent(config, spyRunner), TOKEN);
    await app.ready();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    commands.length = 0;
  });

  it.each(cases)(
    'refuses %s with a 400 naming the problem, running nothing',
    async (_label, method, url, body, expected) => {
      const payload =
        typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
      const headers = {
        ...auth,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      };
      const response = await app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBe(400);
      const answer = response.json();
      expect(answer).toMatchObject({ statusCode: 400, code: 'bad-request' });
      expect(answer.message).toMatch(expected);
      expect(commands).toEqual([]);
    },
  );

  it('refuses a dot-dot path segment with a 4xx, running nothing', async () => {
    const response = await app.inject({
      method: 'DELETE',
      url: '/v1/templates/t1/versions/%2E%2E',
      headers: auth,
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(commands).toEqual([]);
  });

  it('answers health without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(response.json()).toEqual({ ok: true });
  });

  it.each([undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, TOKEN])(
    'refuses authorization %s with 401 before any command',
    async (authorization) => {
      const response = await app.inject({
        method: 'GET',
        url: '/v1/inventory',
        headers: authorization ? { authorization } : {},
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'unauthorized' });
      expect(commands).toEqual([]);
    },
  );

  it('runs zfs with argument arrays for valid input and maps its errors', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/containers/c1', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not-found' });
    expect(commands[0]).toEqual([
      'zfs',
      'get',
      '-H',
      '-p',
      '-o',
      'name,property,value,source',
      expect.stringContaining('type,origin,'),
      'tank/bp/containers/c1',
    ]);
    // Every property the agent keeps, engines' password verifiers among them, is read by name.
    expect(String(commands[0]?.[6]).split(',')).toEqual(
      expect.arrayContaining(['branchpoint:kind', 'branchpoint:password-mariadb']),
    );
  });

  it('answers unknown routes with a 404 in the error format', async () => {
    const response = await app.inject({ method: 'GET', url: '/v2/nothing', headers: auth });
    expect(response.json()).toMatchObject({ statusCode: 404, code: 'not-found' });
  });
});
