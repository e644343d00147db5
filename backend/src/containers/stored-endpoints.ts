import type { AgentEndpoint } from '@branchpoint/contracts';
import type { StoredEndpoint } from '../database/entities/container.entity.js';

/** The endpoints a container's catalog row keeps, from the agent's answer: source names, and the host clients reach. */
export function storedEndpoints(
  endpoints: AgentEndpoint[],
  sources: { id: string; name: string }[],
  hostUrl: string,
): StoredEndpoint[] {
  const host = new URL(hostUrl).hostname;
  const names = new Map(sources.map((s) => [s.id, s.name]));
  return endpoints.map((e) => ({
    sourceId: e.sourceId,
    source: names.get(e.sourceId) ?? e.sourceId,
    host,
    port: e.port,
    database: e.database,
    username: e.username,
    kind: e.kind,
    path: e.path,
  }));
}
