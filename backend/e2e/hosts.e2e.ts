import { createSourceDatabase, type SourceDatabase } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EMPLOYEES_SQL,
  createContainer,
  eventually,
  getContainer,
  names,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// Several storage hosts on this machine: two agents, each in a network namespace of its own
// (libs/testing startStack({ hosts: 2 })), the second on a pool of its own. Placement of new
// containers, and a partition (the second host's link down) with fast failure and recovery.

interface HostView {
  id: string;
  name: string;
  status: string;
}

interface PlacedView extends ContainerView {
  host: { id: string; name: string; status: string };
  available: boolean;
}

let world: World;
/** A template whose origin is the second host. */
let secondSource: SourceDatabase;
let secondTemplateId: string;

/** GET /hosts, a bare list or a page. */
async function hosts(): Promise<HostView[]> {
  const answer = await world.stack.api.expect<HostView[] | { items: HostView[] }>(
    200,
    'GET',
    '/hosts',
  );
  return Array.isArray(answer) ? answer : answer.items;
}

async function placed(id: string): Promise<PlacedView> {
  return (await getContainer(world.stack.api, id)) as PlacedView;
}

beforeAll(async () => {
  world = await startWorld('hosts', { hosts: 2 });
  secondSource = await createSourceDatabase({ prefix: 'e2e', setupSql: EMPLOYEES_SQL });
  const { id } = await world.stack.api.operate('POST', '/templates', {
    name: 'app-on-second',
    hostId: world.stack.hosts[1]!.id,
    sources: [
      { name: 'app-db', kind: 'postgres', connectionString: secondSource.connectionString },
    ],
  });
  secondTemplateId = id!;
});

afterAll(async () => {
  await secondSource?.drop().catch(() => undefined);
  await stopWorld(world);
});

describe('two agents in network namespaces', () => {
  it('registers both, each at an address of its own and on a pool of its own', async () => {
    const [first, second] = world.stack.hosts;
    expect(first!.namespace!.address).not.toBe(second!.namespace!.address);
    expect(first!.pool).not.toBe(second!.pool);
    await eventually(async () => {
      const up = (await hosts()).filter((h) => h.status === 'up').map((h) => h.id);
      expect(up.sort()).toEqual([first!.id, second!.id].sort());
    });
  });
});

describe('placement', () => {
  it('puts a container on a host of its template and shows the host', async () => {
    const [first, second] = world.stack.hosts;
    const one = (await createContainer(
      world.stack.api,
      world.templateId,
      'on-first',
    )) as PlacedView;
    expect(one.host).toEqual({ id: first!.id, name: first!.name, status: 'up' });
    expect(one.available).toBe(true);
    expect(one.endpoints[0]!.host).toBe(first!.namespace!.address);
    expect(await names(one)).toEqual(['Ada', 'Grace', 'Linus']);

    const two = (await createContainer(
      world.stack.api,
      secondTemplateId,
      'on-second',
    )) as PlacedView;
    expect(two.host.id).toBe(second!.id);
    expect(two.endpoints[0]!.host).toBe(second!.namespace!.address);
    expect(await names(two)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('lets a user choose among the allowed hosts, and names them when the choice is not one', async () => {
    const [first, second] = world.stack.hosts;
    const { id } = await world.stack.api.operate('POST', '/containers', {
      name: 'chosen',
      templateId: world.templateId,
      hostId: first!.id,
    });
    expect((await placed(id!)).host.id).toBe(first!.id);

    const refused = await world.stack.api.post<{ code: string; message: string }>('/containers', {
      name: 'elsewhere',
      templateId: world.templateId,
      hostId: second!.id,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('container.host-not-allowed');
    expect(refused.body.message).toContain(first!.name);

    const bad = await world.stack.api.post<{ message: string[] | string }>('/containers', {
      name: 'bad-host',
      templateId: world.templateId,
      hostId: 'not-a-uuid',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain('hostId');
  });
});

describe('a partition', () => {
  let onFirst: PlacedView;
  let onSecond: PlacedView;

  beforeAll(async () => {
    const all = await world.stack.api.expect<PlacedView[] | { items: PlacedView[] }>(
      200,
      'GET',
      '/containers',
    );
    const list = Array.isArray(all) ? all : all.items;
    onFirst = await placed(list.find((c) => c.name === 'on-first')!.id);
    onSecond = await placed(list.find((c) => c.name === 'on-second')!.id);
  });

  afterAll(() => {
    world.stack.hosts[1]!.reconnect();
  });

  it('shows the cut-off host down and its containers unavailable; operations on them answer 503', async () => {
    const second = world.stack.hosts[1]!;
    second.disconnect();
    await eventually(async () => {
      const view = await placed(onSecond.id);
      expect(view.host.status).toBe('down');
      expect(view.available).toBe(false);
    }, 60_000);

    const refused = await world.stack.api.post<{ code: string; message: string }>(
      `/branches/${onSecond.activeBranchId}/bookmarks`,
      { name: 'during-partition' },
    );
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('host.unavailable');
    expect(refused.body.message).toContain(second.name);

    // No new container goes to a host that is down, even when asked for.
    const asked = await world.stack.api.post<{ code: string }>('/containers', {
      name: 'to-cut-off',
      templateId: secondTemplateId,
      hostId: second.id,
    });
    expect(asked.status).toBe(503);
    expect(asked.body.code).toBe('host.unavailable');
  });

  it('leaves the other host unaffected', async () => {
    const view = await placed(onFirst.id);
    expect(view.available).toBe(true);
    await world.stack.api.operate('POST', `/branches/${onFirst.activeBranchId}/bookmarks`, {
      name: 'while-other-is-cut-off',
    });
    expect(await names(view)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('brings the host and its containers back when the link returns', async () => {
    world.stack.hosts[1]!.reconnect();
    await eventually(async () => {
      const view = await placed(onSecond.id);
      expect(view.available).toBe(true);
      expect(view.host.status).toBe('up');
    }, 60_000);
    await world.stack.api.operate('POST', `/branches/${onSecond.activeBranchId}/bookmarks`, {
      name: 'after-partition',
    });
    expect(await names(onSecond)).toEqual(['Ada', 'Grace', 'Linus']);
  });
});
