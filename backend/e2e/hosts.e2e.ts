import { createSourceDatabase, type SourceDatabase } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EMPLOYEES_SQL,
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

// Jobs on two agents of one busy machine take their time.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });
const JOB_MS = 480_000;

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

/** POST /containers as `api` (admin by default), waits for the job; the container as admin sees it. */
async function create(
  body: { name: string; templateId: string; hostId?: string },
  api = world.stack.api,
): Promise<PlacedView> {
  const { id } = await api.operate('POST', '/containers', body, JOB_MS);
  return placed(id!);
}

beforeAll(async () => {
  world = await startWorld('hosts', { hosts: 2 });
  secondSource = await createSourceDatabase({ prefix: 'e2e', setupSql: EMPLOYEES_SQL });
  const { id } = await world.stack.api.operate(
    'POST',
    '/templates',
    {
      name: 'app-on-second',
      hostId: world.stack.hosts[1]!.id,
      sources: [
        { name: 'app-db', kind: 'postgres', connectionString: secondSource.connectionString },
      ],
    },
    JOB_MS,
  );
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
    const one = await create({ name: 'on-first', templateId: world.templateId });
    expect(one.host).toEqual({ id: first!.id, name: first!.name, status: 'up' });
    expect(one.available).toBe(true);
    expect(one.endpoints[0]!.host).toBe(first!.namespace!.address);
    expect(await names(one)).toEqual(['Ada', 'Grace', 'Linus']);

    const two = await create({ name: 'on-second', templateId: secondTemplateId });
    expect(two.host.id).toBe(second!.id);
    expect(two.endpoints[0]!.host).toBe(second!.namespace!.address);
    expect(await names(two)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('lets a user choose among the allowed hosts, and names them when the choice is not one', async () => {
    const [first, second] = world.stack.hosts;
    const chosen = await create({
      name: 'chosen',
      templateId: world.templateId,
      hostId: first!.id,
    });
    expect(chosen.host.id).toBe(first!.id);

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

describe('a template on both hosts', () => {
  interface PlacementView {
    pinnedHostIds: string[] | null;
    hosts: { id: string; name: string; status: string }[];
  }

  beforeAll(async () => {
    // Replicated to the second host with zfs send/receive (issue 13 point 2).
    await world.stack.api.operate(
      'POST',
      `/templates/${world.templateId}/hosts`,
      { hostId: world.stack.hosts[1]!.id },
      JOB_MS,
    );
  });

  it('places a new container on the best host by policy, and lets a user pick the other', async () => {
    const [first, second] = world.stack.hosts;
    const placement = await world.stack.api.expect<PlacementView>(
      200,
      'GET',
      `/templates/${world.templateId}/placement`,
    );
    expect(placement.pinnedHostIds).toBeNull();
    expect(placement.hosts.map((h) => h.id).sort()).toEqual([first!.id, second!.id].sort());

    const byPolicy = await create({ name: 'by-policy', templateId: world.templateId });
    expect(byPolicy.host.id).toBe(placement.hosts[0]!.id);

    const other = placement.hosts[1]!;
    const chosen = await create({ name: 'picked', templateId: world.templateId, hostId: other.id });
    expect(chosen.host.id).toBe(other.id);
    expect(await names(chosen)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('keeps new containers on the hosts an admin pinned the template to', async () => {
    const [first, second] = world.stack.hosts;
    const user = await world.stack.createUser('placement-user');
    const path = `/templates/${world.templateId}/placement`;
    expect((await user.api.request('PUT', path, { hostIds: [first!.id] })).status).toBe(403);
    const bad = await world.stack.api.request<{ code: string }>('PUT', path, {
      hostIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('host.unknown');

    const pinned = await world.stack.api.expect<PlacementView>(200, 'PUT', path, {
      hostIds: [first!.id],
    });
    expect(pinned.pinnedHostIds).toEqual([first!.id]);
    expect(pinned.hosts.map((h) => h.id)).toEqual([first!.id]);

    const refused = await user.api.post<{ code: string; message: string }>('/containers', {
      name: 'outside-pin',
      templateId: world.templateId,
      hostId: second!.id,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('container.host-pinned');
    const inside = await create({ name: 'inside-pin', templateId: world.templateId }, user.api);
    expect(inside.host.id).toBe(first!.id);

    const unpinned = await world.stack.api.expect<PlacementView>(200, 'PUT', path, {
      hostIds: null,
    });
    expect(unpinned.pinnedHostIds).toBeNull();
    expect(unpinned.hosts).toHaveLength(2);
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
    await world.stack.api.operate(
      'POST',
      `/branches/${onFirst.activeBranchId}/bookmarks`,
      {
        name: 'while-other-is-cut-off',
      },
      JOB_MS,
    );
    expect(await names(view)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('brings the host and its containers back when the link returns', async () => {
    world.stack.hosts[1]!.reconnect();
    await eventually(async () => {
      const view = await placed(onSecond.id);
      expect(view.available).toBe(true);
      expect(view.host.status).toBe('up');
    }, 60_000);
    await world.stack.api.operate(
      'POST',
      `/branches/${onSecond.activeBranchId}/bookmarks`,
      {
        name: 'after-partition',
      },
      JOB_MS,
    );
    expect(await names(onSecond)).toEqual(['Ada', 'Grace', 'Linus']);
  });
});
