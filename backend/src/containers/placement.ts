import type { AgentCapacity } from '@branchpoint/contracts';
import type { HostStatus } from '../database/entities/host.entity.js';

/** What placement knows of a host: its health and the capacity its agent last reported. */
export interface PlacementHost {
  id: string;
  name: string;
  status: HostStatus;
  capacity: AgentCapacity | null;
}

/** The share of a figure's weight in the score (they add up to 1). */
const WEIGHTS = { space: 0.5, memory: 0.3, servers: 0.2 };

/**
 * How well a host takes one more container, 0..1: free pool space (share of the pool), free
 * memory (share of the host's, when the agent reports it; otherwise neutral) and few running
 * database servers (each one halves what it adds at 1, 3, 7 …: 1/(1+n)).
 */
export function placementScore(capacity: AgentCapacity): number {
  const space = capacity.sizeBytes > 0 ? capacity.freeBytes / capacity.sizeBytes : 0;
  const memory = capacity.memory
    ? capacity.memory.availableBytes / Math.max(1, capacity.memory.totalBytes)
    : 0.5;
  const servers = 1 / (1 + capacity.runningInstances);
  return WEIGHTS.space * space + WEIGHTS.memory * memory + WEIGHTS.servers * servers;
}

/**
 * The hosts a new container may go to, best first: those that are up and have reported their
 * capacity, by score, then by name (so equal hosts are chosen the same way every time).
 */
export function rankForPlacement(hosts: PlacementHost[]): PlacementHost[] {
  return hosts
    .filter((host) => host.status === 'up' && host.capacity !== null)
    .map((host) => ({ host, score: placementScore(host.capacity!) }))
    .sort((a, b) => b.score - a.score || a.host.name.localeCompare(b.host.name))
    .map(({ host }) => host);
}
