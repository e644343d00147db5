import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ContainerActivity, ContainerStatus } from '@branchpoint/contracts';
import { activeContainer, cloneConnection, cloneQuery, startWorld, type World } from './harness.js';

const PASSWORD = 'idle-password';

describe('container activity and an idle stop', () => {
  let world: World;
  let port: number;
  let database: string;

  beforeAll(async () => {
    world = await startWorld({ ports: '56400-56499', rows: 25, templateId: 'crm' });
    await world.ingest('v1');
    const active = await activeContainer(world, { containerId: 'idle', password: PASSWORD });
    port = active.port;
    database = active.status.endpoints[0]!.database!;
  });

  afterAll(() => world?.stop());

  it('moves the last activity to now while a client is connected', async () => {
    const before = await world.call<ContainerActivity>('GET', '/v1/containers/idle/activity');
    expect(before.status).toBe(200);
    expect(before.body.running).toBe(true);
    const idleSince = Date.parse(before.body.lastActivityAt!);
    expect(idleSince).toBeLessThanOrEqual(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Checks that overlap see each other's sessions: the agent's own are not a client.
    const overlapping = await Promise.all(
      Array.from({ length: 4 }, () =>
        world.call<ContainerActivity>('GET', '/v1/containers/idle/activity'),
      ),
    );
    expect(overlapping.map(({ body }) => Date.parse(body.lastActivityAt!))).toEqual(
      Array(4).fill(idleSince),
    );
    const db = new pg.Client(cloneConnection(port, database, PASSWORD));
    await db.connect();
    try {
      const during = await world.call<ContainerActivity>('GET', '/v1/containers/idle/activity');
      expect(Date.parse(during.body.lastActivityAt!)).toBeGreaterThan(idleSince + 1000);
    } finally {
      await db.end();
    }
  });

  it('keeps the data of a stopped container and serves it again after a start', async () => {
    await cloneQuery(port, database, PASSWORD)("INSERT INTO items VALUES (1000, 'written')");
    const stopped = await world.call<ContainerStatus>('POST', '/v1/containers/idle/stop');
    expect(stopped.body.running).toBe(false);
    expect(
      (await world.call<ContainerActivity>('GET', '/v1/containers/idle/activity')).body,
    ).toEqual({
      running: false,
      lastActivityAt: null,
    });
    await expect(cloneQuery(port, database, PASSWORD)('SELECT 1')).rejects.toThrow();
    const started = await world.call<ContainerStatus>('POST', '/v1/containers/idle/start');
    expect(started.body.running).toBe(true);
    expect(started.body.endpoints[0]!.port).toBe(port);
    const rows = await cloneQuery(
      port,
      database,
      PASSWORD,
    )<{ count: string }>('SELECT count(*) FROM items');
    expect(rows[0]!.count).toBe('26');
  });

  it('answers 404 for an unknown container', async () => {
    const answer = await world.call('GET', '/v1/containers/nobody/activity');
    expect(answer.status).toBe(404);
  });
});
