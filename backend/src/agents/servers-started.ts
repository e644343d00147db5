import type { ContainerStatus } from '@branchpoint/contracts';

/** A job log line for an agent answer that started a container's servers. */
export function serversStarted(status: ContainerStatus): string {
  const ports = status.endpoints
    .filter((endpoint) => endpoint.running && endpoint.port !== null)
    .map((endpoint) => endpoint.port);
  return ports.length > 0
    ? `databases running on port ${ports.join(', ')}`
    : 'no database is running';
}
