import type { AgentCapacity } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import type { Host } from '../database/entities/host.entity.js';
import type { Template } from '../database/entities/template.entity.js';
import { placementScore, rankForPlacement, type PlacementHost } from './placement.js';
import { PlacementService } from './placement.service.js';

function capacity(
  freeBytes: number,
  runningInstances: number,
  memory?: { totalBytes: number; availableBytes: number },
): AgentCapacity {
  return {
    pool: 'tank',
    root: 'tank/branchpoint',
    sizeBytes: 100,
    freeBytes,
    usedBytes: 100 - freeBytes,
    health: 'ONLINE',
    versions: { agent: '0', zfs: '0', postgres: '0' },
    runningInstances,
    ...(memory ? { memory } : {}),
  };
}

function host(name: string, c: AgentCapacity | null, status: PlacementHost['status'] = 'up') {
  return { id: name, name, status, capacity: c };
}

describe('placement', () => {
  it('prefers free pool space', () => {
    const ranked = rankForPlacement([host('a', capacity(20, 0)), host('b', capacity(80, 0))]);
    expect(ranked.map((h) => h.name)).toEqual(['b', 'a']);
  });

  it('prefers fewer running servers when space is equal', () => {
    const ranked = rankForPlacement([host('a', capacity(50, 9)), host('b', capacity(50, 1))]);
    expect(ranked.map((h) => h.name)).toEqual(['b', 'a']);
  });

  it('prefers available memory when the agents report it', () => {
    const low = capacity(50, 1, { totalBytes: 100, availableBytes: 5 });
    const high = capacity(50, 1, { totalBytes: 100, availableBytes: 90 });
    expect(placementScore(high)).toBeGreaterThan(placementScore(low));
    expect(rankForPlacement([host('a', low), host('b', high)]).map((h) => h.name)).toEqual([
      'b',
      'a',
    ]);
  });

  it('leaves out hosts that are down or never reported', () => {
    const ranked = rankForPlacement([
      host('down', capacity(99, 0), 'down'),
      host('silent', null, 'unknown'),
      host('up', capacity(1, 5)),
    ]);
    expect(ranked.map((h) => h.name)).toEqual(['up']);
  });

  it('breaks ties by name', () => {
    const ranked = rankForPlacement([host('b', capacity(50, 1)), host('a', capacity(50, 1))]);
    expect(ranked.map((h) => h.name)).toEqual(['a', 'b']);
  });
});

const hosts = [
  { id: 'h1', name: 'one', status: 'up', capacity: capacity(20, 0) },
  { id: 'h2', name: 'two', status: 'up', capacity: capacity(80, 0) },
  { id: 'h3', name: 'three', status: 'down', capacity: capacity(99, 0) },
] as Host[];

/** A template available on `available`, pinned to `pin`. */
function service(available: string[], pin: string[] | null = null): PlacementService {
  const template = { id: 't1', name: 'app', placementHostIds: pin } as Template;
  return new PlacementService(
    { findBy: async () => hosts.filter((h) => available.includes(h.id)) } as never,
    { readyHostIds: async () => available } as never,
    { template: async () => template } as never,
    {} as never,
  );
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('PlacementService.choose', () => {
  it('takes the best host that is up among those holding the template', async () => {
    expect(await service(['h1', 'h2', 'h3']).choose('t1')).toBe('h2');
  });

  it("stays within an admin's pin", async () => {
    expect(await service(['h1', 'h2'], ['h1']).choose('t1')).toBe('h1');
  });

  it('honours a choice among the allowed hosts and refuses the others, naming why', async () => {
    expect(await service(['h1', 'h2']).choose('t1', 'h1')).toBe('h1');
    const elsewhere = await refusal(service(['h1']).choose('t1', 'h2'));
    expect(elsewhere.code).toBe('container.host-not-allowed');
    expect(elsewhere.message).toContain('one');
    const outsidePin = await refusal(service(['h1', 'h2'], ['h1']).choose('t1', 'h2'));
    expect(outsidePin.code).toBe('container.host-pinned');
    const down = await refusal(service(['h1', 'h3']).choose('t1', 'h3'));
    expect(down.code).toBe('host.unavailable');
  });

  it('says when the pin leaves no host, and when no allowed host is up', async () => {
    expect((await refusal(service(['h1'], ['h2']).choose('t1'))).code).toBe(
      'template.no-placement',
    );
    expect((await refusal(service(['h3']).choose('t1'))).code).toBe('host.unavailable');
  });
});
