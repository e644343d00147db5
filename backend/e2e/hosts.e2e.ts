import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  names,
  startWorld,
  stopWorld,
  type World,
} from './support.js';

// Several storage hosts on this machine: two agents, each in a network namespace of its own
// (libs/testing startStack({ hosts: 2 })), the second on a pool of its own.

interface HostView {
  id: string;
  name: string;
  status: string;
}

let world: World;

beforeAll(async () => {
  world = await startWorld('hosts', { hosts: 2 });
});

afterAll(async () => {
  await stopWorld(world);
});

describe('two agents in network namespaces', () => {
  it('registers both, each at an address of its own and on a pool of its own', async () => {
    const [first, second] = world.stack.hosts;
    expect(first!.namespace!.address).not.toBe(second!.namespace!.address);
    expect(first!.pool).not.toBe(second!.pool);
    await eventually(async () => {
      const hosts = await world.stack.api.expect<HostView[]>(200, 'GET', '/hosts');
      expect(
        hosts
          .filter((h) => h.status === 'up')
          .map((h) => h.id)
          .sort(),
      ).toEqual([first!.id, second!.id].sort());
    });
  });

  it('serves a container from the first host at its namespace address', async () => {
    const container = await createContainer(world.stack.api, world.templateId, 'ns-one');
    expect(container.endpoints[0]!.host).toBe(world.stack.hosts[0]!.namespace!.address);
    expect(await names(container)).toEqual(['Ada', 'Grace', 'Linus']);
  });
});
