import { NotificationEvent } from '../core/api/models';

/** Every event a webhook can subscribe to, as the UI names it (the type keeps it complete). */
export const EVENT_LABELS: Readonly<Record<NotificationEvent, string>> = {
  'job.failed': 'An operation of mine failed',
  'expiry.soon': 'A container or bookmark of mine expires soon',
  'expiry.expired': 'A container or bookmark of mine was deleted on expiry',
  'expiry.blocked': 'Something of mine past its expiry is kept because others depend on it',
  'bookmark.shared': 'A bookmark was shared with me',
  'host.down': 'A host went down (admin webhooks)',
  'container.moved': 'A container of mine moved to another host (its connection strings changed)',
};

export const NOTIFICATION_EVENTS = Object.keys(EVENT_LABELS) as NotificationEvent[];

/** Events only admin-scope webhooks receive. */
export const ADMIN_ONLY_EVENTS: readonly NotificationEvent[] = ['host.down'];
