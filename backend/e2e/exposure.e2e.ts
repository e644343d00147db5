import type { JobView, ServerEventMap } from '@branchpoint/contracts';
import { cloneClientConfig, withClient, type ApiClient } from '@branchpoint/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { SecretBox } from '../src/common/secret-box.js';
import { withSecretBox } from '../src/database/migration-secrets.js';
import { SealStoredSecrets1764400000000 } from '../src/database/migrations/1764400000000-seal-stored-secrets.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import {
  caOf,
  createContainer,
  eventually,
  getContainer,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// Least exposure (issue 11, point 7): what only admins see of templates and hosts stays out of
// every other user's answers and socket events; source connection strings and clone passwords
// are sealed in the metadata database with BP_SECRET_KEY, which can be rotated; a removed
// co-owner's database password stops working.

type User = { id: string; token: string; api: ApiClient };

const HOOK = `exposure-hook-${randomBytes(4).toString('hex')}`;
const BROKEN_SECRET = `broken-secret-${randomBytes(4).toString('hex')}`;
const BROKEN_SOURCE = `postgres://bp_exposure:${BROKEN_SECRET}@127.0.0.1:1/nowhere`;
const GHOST_URL = 'https://127.0.0.1:9';
const GHOST_TOKEN = `ghost-token-${randomBytes(8).toString('hex')}`;
const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');

const firstKey = randomBytes(32).toString('base64');
let world: World;
let alice: User;
let bob: User;
let container: ContainerView;
let brokenTemplateId: string;
let brokenIngest: JobView;
let ghostError: string;
const events: unknown[] = [];
const sockets: Socket[] = [];

function connect(token: string): Promise<Socket<ServerEventMap>> {
  const socket: Socket<ServerEventMap> = io(world.stack.baseUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Every row of every table of the metadata database, as JSON text. */
async function everyRow(): Promise<string> {
  return withClient(world.stack.databaseUrl, async (client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const rows: string[] = [];
    for (const { name } of tables.rows) {
      const result = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${client.escapeIdentifier(name)} t`,
      );
      rows.push(...result.rows.map((r) => r.row));
    }
    return rows.join('\n');
  });
}

/** The sealed columns, as stored. */
async function sealedValues(): Promise<{
  passwords: string[];
  sources: string[];
  tokens: string[];
}> {
  return withClient(world.stack.databaseUrl, async (client) => ({
    passwords: (await client.query<{ v: string }>('SELECT password AS v FROM container')).rows.map(
      (r) => r.v,
    ),
    sources: (
      await client.query<{ v: string }>('SELECT "connectionString" AS v FROM template_source')
    ).rows.map((r) => r.v),
    tokens: (await client.query<{ v: string }>('SELECT token AS v FROM host')).rows.map((r) => r.v),
  }));
}

beforeAll(async () => {
  world = await startWorld('backend-exposure', { backendEnv: { BP_SECRET_KEY: firstKey } });
  const admin = world.stack.api;
  alice = await world.stack.createUser('alice');
  bob = await world.stack.createUser('bob');
  const socket = await connect(alice.token);
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));

  await admin.expect(200, 'PATCH', `/templates/${world.templateId}`, {
    hooks: { afterIngest: [`SELECT '${HOOK}'`], afterStart: [`SELECT '${HOOK}'`] },
  });
  const broken = await admin.expect<{ jobId: string; id: string }>(202, 'POST', '/templates', {
    name: 'broken-source',
    hostId: world.stack.hostId,
    sources: [{ name: 'app-db', kind: 'postgres', connectionString: BROKEN_SOURCE }],
  });
  brokenTemplateId = broken.id;
  brokenIngest = await admin.waitForJob(broken.jobId);
  const ghost = await admin.expect<{ lastError: string | null }>(201, 'POST', '/hosts', {
    name: 'ghost',
    url: GHOST_URL,
    token: GHOST_TOKEN,
    fingerprint: FINGERPRINT,
  });
  ghostError = ghost.lastError ?? '';
  container = await createContainer(alice.api, world.templateId, 'exposed');
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stopWorld(world);
});

describe('what a user who is no admin sees', () => {
  it('admins see hooks, connection strings without their password, ingest errors and host addresses', async () => {
    const admin = world.stack.api;
    expect(brokenIngest.state).toBe('failed');
    const detail = await admin.expect<{
      hooks?: { afterStart?: string[] };
      sources: { connectionString?: string }[];
      versions: { error?: string | null }[];
    }>(200, 'GET', `/templates/${brokenTemplateId}`);
    expect(detail.versions[0]!.error).toBeTruthy();
    expect(detail.sources[0]!.connectionString).toBe('postgres://bp_exposure@127.0.0.1:1/nowhere');
    const good = await admin.expect<typeof detail>(200, 'GET', `/templates/${world.templateId}`);
    expect(good.hooks?.afterStart).toEqual([`SELECT '${HOOK}'`]);
    const source = new URL(world.source.connectionString);
    expect(good.sources[0]!.connectionString).toContain(`@${source.host}${source.pathname}`);
    expect(good.sources[0]!.connectionString).not.toContain(source.password);
    const hosts = JSON.stringify(await admin.expect(200, 'GET', '/hosts'));
    expect(hosts).toContain(world.stack.agentUrl);
    expect(hosts).toContain(GHOST_URL);
    expect(ghostError).not.toBe('');
    expect(hosts).toContain(JSON.stringify(ghostError));
    expect(hosts).not.toContain(GHOST_TOKEN);
  });

  it('holds no hooks, connection strings, source errors or host addresses in any answer or event', async () => {
    const { api } = alice;
    const c = container.id;
    const answers: Record<string, unknown> = {};
    for (const path of [
      '/me',
      '/users',
      '/templates',
      `/templates/${world.templateId}`,
      `/templates/${brokenTemplateId}`,
      '/hosts',
      '/containers',
      `/containers/${c}`,
      `/containers/${c}/branches`,
      '/jobs',
      `/jobs?containerId=${c}`,
      '/bookmarks?scope=all',
      '/usage',
    ])
      answers[path] = (await api.get(path)).body;
    expect((await api.get(`/jobs/${brokenIngest.id}`)).status).toBe(404);
    expect((await api.get('/audit')).status).toBe(403);

    const templates = JSON.stringify([
      answers['/templates'],
      answers[`/templates/${world.templateId}`],
      answers[`/templates/${brokenTemplateId}`],
    ]);
    expect(templates).toContain('broken-source');
    expect(templates).toContain('"failed"');
    for (const field of ['"hooks"', '"connectionString"', '"error"'])
      expect(templates).not.toContain(field);
    const hosts = JSON.stringify(answers['/hosts']);
    expect(hosts).toContain('ghost');
    for (const field of ['"url"', '"lastError"', '"certificateFingerprint"'])
      expect(hosts).not.toContain(field);

    // The socket carried alice's own jobs, so it was listening.
    expect(JSON.stringify(events)).toContain('create-container');
    const everything = JSON.stringify({ answers, events });
    const source = new URL(world.source.connectionString);
    for (const secret of [
      HOOK,
      world.source.connectionString,
      source.password,
      `${source.host}${source.pathname}`,
      BROKEN_SECRET,
      '127.0.0.1:1/nowhere',
      world.stack.agentUrl,
      world.stack.agentToken,
      GHOST_URL,
      GHOST_TOKEN,
      ghostError,
      brokenIngest.error!,
    ])
      expect(everything, `alice's views hold ${secret}`).not.toContain(secret);
  });

  it("learns an unreachable agent's host name, never its address or the network error", async () => {
    const admin = world.stack.api;
    const moved = await admin.expect<{ status: string; lastError?: string }>(
      200,
      'PATCH',
      `/hosts/${world.stack.hostId}`,
      { url: GHOST_URL, fingerprint: world.stack.agentFingerprint },
    );
    try {
      expect(moved.status).toBe('down');
      expect(moved.lastError).toContain(GHOST_URL);
      const answer = await alice.api.get<{ message: string }>(
        `/containers/${container.id}/settings`,
      );
      expect(answer.status).toBe(503);
      expect(answer.body.message).toMatch(/storage agent of host \S+ unreachable/);
      expect(answer.body.message).not.toContain('127.0.0.1');
      expect(answer.body.message).not.toMatch(/ECONNREFUSED/);
    } finally {
      await admin.expect(200, 'PATCH', `/hosts/${world.stack.hostId}`, {
        url: world.stack.agentUrl,
        fingerprint: world.stack.agentFingerprint,
      });
    }
  });
});

describe('the metadata database', () => {
  it('holds no plaintext connection string, clone password or agent token, only values sealed with BP_SECRET_KEY', async () => {
    const password = container.endpoints[0]!.password;
    const rows = await everyRow();
    expect(rows).toContain(container.id);
    const source = new URL(world.source.connectionString);
    for (const secret of [password, source.password, BROKEN_SECRET, GHOST_TOKEN])
      expect(rows, 'a secret in plaintext').not.toContain(secret);

    const box = new SecretBox([Buffer.from(firstKey, 'base64')]);
    const stored = await sealedValues();
    expect(stored.passwords.map((v) => box.open(v))).toContain(password);
    expect(stored.sources.map((v) => box.open(v)).sort()).toEqual(
      [BROKEN_SOURCE, world.source.connectionString].sort(),
    );
    for (const value of Object.values(stored).flat()) expect(box.isCurrent(value)).toBe(true);
  });
});

describe('a removed co-owner', () => {
  it('can no longer reach the clone: the open session ends, the old password fails', async () => {
    await alice.api.expect(200, 'POST', `/containers/${container.id}/owners`, { userId: bob.id });
    const known = (await getContainer(bob.api, container.id)).endpoints[0]!;
    const session = new pg.Client(cloneClientConfig(known.connectionString, await caOf(container)));
    const ended = new Promise<void>((resolve) => session.on('error', () => resolve()));
    await session.connect();
    try {
      expect((await session.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

      await alice.api.expect(200, 'DELETE', `/containers/${container.id}/owners/${bob.id}`);
      const jobs = await alice.api.expect<JobView[]>(
        200,
        'GET',
        `/jobs?containerId=${container.id}`,
      );
      const rotation = jobs.find((j) => j.type === 'rotate-container-password');
      expect(rotation, 'a password rotation was queued').toBeDefined();
      expect((await alice.api.waitForJob(rotation!.id)).state).toBe('succeeded');

      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error("bob's open session was not ended")), 15_000);
      });
      await Promise.race([ended, timeout]).finally(() => clearTimeout(timer));
      await expect(session.query('SELECT 1')).rejects.toThrow();
    } finally {
      await session.end().catch(() => undefined);
    }
    expect((await bob.api.get(`/containers/${container.id}`)).status).toBe(404);
    await expect(
      withClient(cloneClientConfig(known.connectionString, await caOf(container)), (client) =>
        client.query('SELECT 1'),
      ),
    ).rejects.toThrow(/password authentication failed/);
    container = await getContainer(alice.api, container.id);
    expect(container.endpoints[0]!.password).not.toBe(known.password);
    expect(await sql(container, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('a rotation that failed for good while the agent was away runs again when the host answers', async () => {
    const password = container.endpoints[0]!.password;
    // As the job leaves it after its retries ran out with the agent away.
    const failedId = randomUUID();
    await withClient(world.stack.databaseUrl, (client) =>
      client.query(
        `INSERT INTO job (id, type, "containerId", "userId", state, error, payload, "finishedAt")
         VALUES ($1, 'rotate-container-password', $2, $3, 'failed', 'agent away', $4, now())`,
        [failedId, container.id, alice.id, { containerId: container.id, reason: 'owner-removed' }],
      ),
    );
    // The host seen down, then a poll finds it up again. A poll already under way may write
    // `up` over it: then again, until a new rotation is under way.
    await eventually(async () => {
      const [newest] = await alice.api.expect<JobView[]>(
        200,
        'GET',
        `/jobs?containerId=${container.id}`,
      );
      if (newest!.id === failedId) {
        await withClient(world.stack.databaseUrl, (client) =>
          client.query(`UPDATE host SET status = 'down' WHERE id = $1`, [world.stack.hostId]),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(newest).toMatchObject({ type: 'rotate-container-password', state: 'succeeded' });
    }, 30_000);
    const old = container.endpoints[0]!;
    container = await getContainer(alice.api, container.id);
    expect(container.endpoints[0]!.password).not.toBe(password);
    await expect(
      withClient(cloneClientConfig(old.connectionString, await caOf(container)), (client) =>
        client.query('SELECT 1'),
      ),
    ).rejects.toThrow(/password authentication failed/);
  });
});

describe('rotating BP_SECRET_KEY', () => {
  it('reseals every stored secret with the new key at start, and everything keeps working', async () => {
    const newKey = randomBytes(32).toString('base64');
    const password = container.endpoints[0]!.password;
    await world.stack.restartBackend('SIGTERM', undefined, {
      BP_SECRET_KEY: newKey,
      BP_SECRET_KEY_PREVIOUS: firstKey,
    });
    const box = new SecretBox([Buffer.from(newKey, 'base64')]);
    const stored = await sealedValues();
    for (const value of Object.values(stored).flat()) expect(box.isCurrent(value)).toBe(true);
    expect(stored.passwords.map((v) => box.open(v))).toContain(password);

    // Everything is sealed with the new key alone: the old one may go (not restarted again here).
    container = await getContainer(alice.api, container.id);
    expect(container.endpoints[0]!.password).toBe(password);
    expect(await sql(container, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    // The ingest opens the source's connection string; the agent calls open its token.
    const { job } = await world.stack.api.operate('POST', `/templates/${world.templateId}/refresh`);
    expect(job.state).toBe('succeeded');
    const hosts = await world.stack.api.expect<{ id: string; status: string }[]>(
      200,
      'GET',
      '/hosts',
    );
    expect(hosts.find((h) => h.id === world.stack.hostId)?.status).toBe('up');
  });
});

describe('migration 1764400000000', () => {
  it('seals the plaintext rows an earlier version stored, and opens them again going down', async () => {
    const adminUrl = process.env['DATABASE_URL']!;
    const database = `bp_t_exposure_seal_${randomBytes(4).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const box = new SecretBox([randomBytes(32)]);
    const seal = MIGRATIONS.indexOf(SealStoredSecrets1764400000000);
    const migrate = async (count: number, undoLast = false) => {
      const dataSource = await new DataSource(
        withSecretBox(
          { type: 'postgres', url: url.toString(), migrations: MIGRATIONS.slice(0, count) },
          box,
        ),
      ).initialize();
      try {
        if (undoLast) await dataSource.undoLastMigration();
        else await dataSource.runMigrations();
      } finally {
        await dataSource.destroy();
      }
    };
    const stored = () =>
      withClient(url.toString(), async (client) => ({
        password: (await client.query<{ v: string }>('SELECT password AS v FROM container'))
          .rows[0]!.v,
        source: (
          await client.query<{ v: string }>('SELECT "connectionString" AS v FROM template_source')
        ).rows[0]!.v,
      }));
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${database}"`));
    try {
      await migrate(seal);
      await withClient(url.toString(), async (client) => {
        await client.query(
          `INSERT INTO container (id, name, "templateId", "hostId", "ownerIds", password, state)
           VALUES (gen_random_uuid(), 'old', gen_random_uuid(), gen_random_uuid(), ARRAY[gen_random_uuid()], 'plain-clone-pw', 'ready')`,
        );
        await client.query(
          `INSERT INTO template_source (id, "templateId", name, kind, "connectionString", position)
           VALUES (gen_random_uuid(), gen_random_uuid(), 'db', 'postgres', 'postgres://app:plain-source-pw@db/app', 0)`,
        );
      });

      await migrate(seal + 1);
      const sealed = await stored();
      expect(JSON.stringify(sealed)).not.toMatch(/plain-clone-pw|plain-source-pw/);
      expect(box.open(sealed.password)).toBe('plain-clone-pw');
      expect(box.open(sealed.source)).toBe('postgres://app:plain-source-pw@db/app');

      await migrate(seal + 1, true);
      expect(await stored()).toEqual({
        password: 'plain-clone-pw',
        source: 'postgres://app:plain-source-pw@db/app',
      });
    } finally {
      await withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      );
    }
  });
});
