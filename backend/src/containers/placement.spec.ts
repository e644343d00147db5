import type { AgentCapacity } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { placementScore, rankForPlacement, type PlacementHost } from './placement.js';

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
