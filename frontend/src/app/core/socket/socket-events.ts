import type { ServerEventName } from '@branchpoint/contracts';

export type { ContainerMoved, ExpiryWarning } from '@branchpoint/contracts';

/** socket.io events the control plane pushes (ServerEventMap in @branchpoint/contracts). */
export const SocketEvents = {
  /** A job changed state or progress: a `Job`. */
  jobUpdated: 'job.updated',
  /** Points or bookmarks of a branch changed. */
  timelineChanged: 'timeline.changed',
  /** A container's branches, active branch, lock, owners or state changed. */
  containerChanged: 'container.changed',
  /** A container moved to another host: its connection strings changed (`ContainerMoved`). */
  containerMoved: 'container.moved',
  /** A container or bookmark of mine will be deleted by the expiry sweep soon. */
  expiryWarning: 'expiry.warning',
} as const satisfies Record<string, ServerEventName>;

export interface ContainerEvent {
  containerId: string;
  branchId?: string;
}
