import { withClone, type ApiClient } from '@branchpoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caOf,
  createContainer,
  eventually,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type Endpoint,
  type World,
} from './support.js';

interface PreviewView {
  id: string;
  state: string;
  pointId: string;
  bookmarkId: string | null;
  expiresAt: string;
  endpoints: Endpoint[];
}

let world: World;
let owner: ApiClient;
let stranger: ApiClient;
let container: ContainerView;
let bookmarkId: string;
let preview: PreviewView;

/** Runs `text` in a session of the preview as its reader. */
async function inPreview<R extends Record<string, unknown>>(text: string): Promise<R[]> {
  return withClone(
    preview.endpoints[0]!.connectionString,
    await caOf(container),
    async (client) => (await client.query<R>(text)).rows,
  );
}

beforeAll(async () => {
  world = await startWorld('backend-previews');
  owner = (await world.stack.createUser('owner')).api;
  stranger = (await world.stack.createUser('stranger')).api;
  container = await createContainer(owner, world.templateId, 'looked-at');
  await sql(container, `INSERT INTO employees (name, salary) VALUES ('Margaret', 130)`);
  ({ id: bookmarkId } = (await owner.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    { name: 'before the purge' },
  )) as { id: string });
  // After the bookmark: the container changes, the preview must not.
  await sql(container, 'DELETE FROM employees');
  const { id } = await owner.operate('POST', '/previews', { bookmarkId, minutes: 30 });
  preview = await owner.expect<PreviewView>(200, 'GET', `/previews/${id}`);
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
});

describe('previews', () => {
  it('serves the bookmark read-only with a connection string of its own', async () => {
    expect(preview).toMatchObject({ state: 'ready', bookmarkId });
    const endpoint = preview.endpoints[0]!;
    expect(endpoint.username).toBe('branchpoint_reader');
    expect(endpoint.port).not.toBe(container.endpoints[0]!.port);
    const names = await inPreview<{ name: string }>('SELECT name FROM employees ORDER BY id');
    expect(names.map((row) => row.name)).toEqual(['Ada', 'Grace', 'Linus', 'Margaret']);
    expect(await sql(container, 'SELECT * FROM employees')).toEqual([]);
  });

  it('refuses every write, whatever the session sets', async () => {
    for (const statement of [
      `INSERT INTO employees (name, salary) VALUES ('Mallory', 1)`,
      'SET default_transaction_read_only = off; DELETE FROM employees',
      'BEGIN READ WRITE; UPDATE employees SET salary = 0; COMMIT',
      'SET transaction_read_only = off; CREATE TABLE stolen (x int)',
      'CREATE TEMP TABLE scratch (x int)',
      `COPY employees TO PROGRAM 'id'`,
      'ALTER ROLE branchpoint_reader SUPERUSER',
    ])
      await expect(inPreview(statement), statement).rejects.toThrow();
    // Nor may it end anyone's session: refused (superusers' sessions) or ended none.
    const ended = await inPreview<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid <> pg_backend_pid()',
    ).catch(() => []);
    expect(ended.every((row) => !row.ended)).toBe(true);
    const [count] = await inPreview<{ n: string }>('SELECT count(*) AS n FROM employees');
    expect(count!.n).toBe('4');
    // The container's owner role cannot log in to the preview.
    const ownerLogin = new URL(preview.endpoints[0]!.connectionString);
    ownerLogin.username = container.endpoints[0]!.username;
    ownerLogin.password = container.endpoints[0]!.password;
    await expect(
      withClone(ownerLogin.toString(), await caOf(container), (client) => client.query('SELECT 1')),
    ).rejects.toThrow();
  });

  it('lists tables with row counts and their first rows', async () => {
    const tables = await owner.expect<{ name: string; rows: number }[]>(
      200,
      'GET',
      `/previews/${preview.id}/tables`,
    );
    expect(tables).toContainEqual({ name: 'public.employees', rows: 4, estimated: false });
    const page = await owner.expect<{ columns: string[]; rows: unknown[][] }>(
      200,
      'GET',
      `/previews/${preview.id}/tables/public.employees/rows?limit=2`,
    );
    expect(page.columns).toEqual(['id', 'name', 'salary']);
    expect(page.rows).toEqual([
      [1, 'Ada', 100],
      [2, 'Grace', 120],
    ]);
  });

  it('answers bad input with 4xx naming the problem', async () => {
    await owner.expect(400, 'POST', '/previews', {});
    await owner.expect(400, 'POST', '/previews', { bookmarkId, pointId: preview.pointId });
    await owner.expect(400, 'POST', '/previews', { bookmarkId, minutes: 0 });
    await owner.expect(400, 'POST', '/previews', { bookmarkId, minutes: 100_000 });
    await owner.expect(400, 'POST', '/previews', { bookmarkId: 'not-a-uuid' });
    await owner.expect(404, 'POST', '/previews', { bookmarkId: crypto.randomUUID() });
    await owner.expect(404, 'GET', `/previews/${preview.id}/tables/public.nothing/rows`);
    await owner.expect(404, 'GET', `/previews/${preview.id}/tables/x;drop table employees/rows`);
    await owner.expect(400, 'GET', `/previews/${preview.id}/tables/public.employees/rows?limit=0`);
    await owner.expect(
      400,
      'GET',
      `/previews/${preview.id}/tables/public.employees/rows?limit=9999`,
    );
  });

  it('is its creator’s: others see neither the bookmark nor the preview', async () => {
    await stranger.expect(404, 'POST', '/previews', { bookmarkId });
    await stranger.expect(404, 'POST', '/previews', { pointId: preview.pointId });
    await stranger.expect(404, 'GET', `/previews/${preview.id}`);
    await stranger.expect(404, 'GET', `/previews/${preview.id}/tables`);
    await stranger.expect(404, 'DELETE', `/previews/${preview.id}`);
  });

  it('previews a timeline point of an owned container, and DELETE ends it at once', async () => {
    const { id } = await owner.operate('POST', '/previews', {
      pointId: preview.pointId,
      minutes: 1,
    });
    const second = await owner.expect<PreviewView>(200, 'GET', `/previews/${id}`);
    expect(second.state).toBe('ready');
    await owner.expect(204, 'DELETE', `/previews/${id}`);
    await owner.expect(404, 'GET', `/previews/${id}`);
    await expect(connect(second)).rejects.toThrow();
  });

  it('disappears when its time is up: the row, the server and the clone', async () => {
    const db = new pg.Client({ connectionString: world.stack.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE preview SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
        preview.id,
      ]);
    } finally {
      await db.end();
    }
    await eventually(async () => {
      await owner.expect(404, 'GET', `/previews/${preview.id}`);
    }, 60_000);
    await expect(connect(preview)).rejects.toThrow();
    expect(await owner.expect<PreviewView[]>(200, 'GET', '/previews')).toEqual([]);
  });

  it('ends with its container: deleting a container ends the previews of its points', async () => {
    const { id } = await owner.operate('POST', '/previews', { bookmarkId });
    const last = await owner.expect<PreviewView>(200, 'GET', `/previews/${id}`);
    await owner.operate('DELETE', `/containers/${container.id}`);
    await owner.expect(404, 'GET', `/previews/${id}`);
    await expect(connect(last)).rejects.toThrow();
  });
});

async function connect(target: PreviewView): Promise<unknown> {
  return withClone(target.endpoints[0]!.connectionString, await caOf(container), (client) =>
    client.query('SELECT 1'),
  );
}
