import { withClone } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caOf,
  createContainer,
  eventually,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

type Serving = ContainerView & { serving: 'running' | 'stopped' | 'idle' };

const IDLE_STOP_MS = 3000;
let world: World;
let container: ContainerView;

const view = () => world.stack.api.expect<Serving>(200, 'GET', `/containers/${container.id}`);

beforeAll(async () => {
  world = await startWorld('backend-idle', {
    clonePorts: { first: 56900, last: 56999 },
    backendEnv: { BP_IDLE_STOP_MS: String(IDLE_STOP_MS), BP_IDLE_CHECK_MS: '300' },
  });
  container = await createContainer(world.stack.api, world.templateId, 'idle');
});

afterAll(async () => {
  await stopWorld(world);
});

describe('the idle stop', () => {
  it('keeps a container running while a client is connected', async () => {
    await sql(container, "INSERT INTO employees (name, salary) VALUES ('Idle', 1)");
    await withClone(
      container.endpoints[0]!.connectionString,
      await caOf(container),
      async (client) => {
        await new Promise((resolve) => setTimeout(resolve, IDLE_STOP_MS * 2));
        await client.query('SELECT 1');
        expect((await view()).serving).toBe('running');
      },
    );
  });

  it('stops an idle container; its endpoint refuses connections', async () => {
    await eventually(async () => expect((await view()).serving).toBe('idle'), 30_000);
    // The state flips when the stop is queued; the servers go when its job ran.
    await eventually(
      async () => await expect(sql(container, 'SELECT 1')).rejects.toThrow(),
      30_000,
    );
    const list = await world.stack.api.expect<Serving[]>(200, 'GET', '/containers');
    expect(list.find((c) => c.id === container.id)?.serving).toBe('idle');
  });

  it('starts it again on the same port with the same rows', async () => {
    await world.stack.api.operate('POST', `/containers/${container.id}/start`);
    const started = await view();
    expect(started.serving).toBe('running');
    expect(started.endpoints[0]!.port).toBe(container.endpoints[0]!.port);
    expect(await names(started)).toEqual(['Ada', 'Grace', 'Linus', 'Idle']);
  });

  it('lets owners stop it by hand, and no one else', async () => {
    const other = await world.stack.createUser('stranger');
    await other.api.expect(404, 'POST', `/containers/${container.id}/stop`);
    await other.api.expect(404, 'POST', `/containers/${container.id}/start`);
    await world.stack.api.operate('POST', `/containers/${container.id}/stop`);
    expect((await view()).serving).toBe('stopped');
    await expect(sql(container, 'SELECT 1')).rejects.toThrow();
  });
});
