import type { JobView } from './jobs.js';

/** What the control plane pushes over socket.io. Clients authenticate with `auth: { token }`. */
export interface ServerEventMap {
  /** A job changed state or progress. */
  'job.updated': (job: JobView) => void;
  /** Points or bookmarks of a branch changed. */
  'timeline.changed': (event: { containerId: string; branchId: string }) => void;
  /** A container's branches, active branch, lock, owners or state changed. */
  'container.changed': (event: { containerId: string }) => void;
  /** A container moved to another host: its connection strings name `host` now (ports may change too). */
  'container.moved': (event: ContainerMoved) => void;
  /** A container or bookmark will be deleted by the expiry sweep at `expiresAt` (sent once, to its owners). */
  'expiry.warning': (event: ExpiryWarning) => void;
}

export interface ContainerMoved {
  containerId: string;
  name: string;
  fromHost: string;
  toHost: string;
  /** Where each source answers now. */
  endpoints: { source: string; host: string; port: number | null }[];
}

/** What can expire. */
export type ExpiryKind = 'container' | 'branch' | 'bookmark';

export interface ExpiryWarning {
  kind: ExpiryKind;
  id: string;
  name: string;
  containerId: string;
  /** ISO date-time. */
  expiresAt: string;
}

export type ServerEventName = keyof ServerEventMap;

export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerEventMap[E]>[0];
