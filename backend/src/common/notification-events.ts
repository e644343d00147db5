import type { ContainerMoved, ExpiryKind, ExpiryWarning } from '@branchpoint/contracts';

/** What a webhook can subscribe to, with the data each notification carries. */
export interface NotificationPayloads {
  'job.failed': { jobId: string; type: string; containerId: string | null; error: string };
  'expiry.soon': ExpiryWarning;
  'expiry.expired': {
    kind: ExpiryKind;
    id: string;
    name: string;
    containerId: string;
  };
  /** The sweep keeps an expired object (something depends on it...): sent once per block. */
  'expiry.blocked': ExpiryWarning & { reason: string };
  'bookmark.shared': { bookmarkId: string; name: string; containerId: string; sharedBy: string };
  'host.down': { hostId: string; name: string; error: string | null };
  /** To its owners: the connection strings changed. */
  'container.moved': ContainerMoved;
}

export type NotificationEvent = keyof NotificationPayloads;

export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'job.failed',
  'expiry.soon',
  'expiry.expired',
  'expiry.blocked',
  'bookmark.shared',
  'host.down',
  'container.moved',
];
