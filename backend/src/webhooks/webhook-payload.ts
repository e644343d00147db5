import { createHmac } from 'node:crypto';
import type { NotificationEvent, NotificationPayloads } from '../common/notification-events.js';
import type { WebhookFormat } from '../database/entities/webhook.entity.js';

export const SIGNATURE_HEADER = 'X-Branchpoint-Signature';
export const TIMESTAMP_HEADER = 'X-Branchpoint-Timestamp';

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: the timestamp is signed too, so a
 * receiver that rejects old timestamps cannot be fed a replayed delivery.
 */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Slack's escaping of message text: `&`, `<` and `>` become entities, so user text (a bookmark
 * or container name, a username, an error quoting them) cannot form a link, a mention
 * (`<!channel>`, `<@U123>`) or a command; Slack shows the characters as they were typed.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line for people (Slack's `text`); `e` escapes every value that came from outside. */
export function summary<E extends NotificationEvent>(
  event: E,
  data: NotificationPayloads[E],
  e: (text: string) => string = (text) => text,
): string {
  const d = data as NotificationPayloads[NotificationEvent];
  switch (event) {
    case 'job.failed': {
      const job = d as NotificationPayloads['job.failed'];
      return `Branchpoint job ${e(job.type)} (${e(job.jobId)}) failed: ${e(job.error)}`;
    }
    case 'expiry.soon': {
      const soon = d as NotificationPayloads['expiry.soon'];
      return `Branchpoint ${e(soon.kind)} "${e(soon.name)}" expires at ${e(soon.expiresAt)}`;
    }
    case 'expiry.expired': {
      const gone = d as NotificationPayloads['expiry.expired'];
      return `Branchpoint ${e(gone.kind)} "${e(gone.name)}" expired and was deleted`;
    }
    case 'expiry.blocked': {
      const kept = d as NotificationPayloads['expiry.blocked'];
      return `Branchpoint ${e(kept.kind)} "${e(kept.name)}" expired but is kept: ${e(kept.reason)}`;
    }
    case 'bookmark.shared': {
      const shared = d as NotificationPayloads['bookmark.shared'];
      return `${e(shared.sharedBy)} shared the Branchpoint bookmark "${e(shared.name)}" with you`;
    }
    case 'container.moved': {
      const moved = d as NotificationPayloads['container.moved'];
      return `Branchpoint container "${e(moved.name)}" moved from host ${e(moved.fromHost)} to ${e(moved.toHost)}: its connection strings changed`;
    }
    default: {
      const host = d as NotificationPayloads['host.down'];
      return `Branchpoint host ${e(host.name)} is down${host.error ? `: ${e(host.error)}` : ''}`;
    }
  }
}

/** The request body for a webhook of the given format. */
export function renderBody<E extends NotificationEvent>(
  format: WebhookFormat,
  delivery: { id: string; event: E; occurredAt: Date; data: NotificationPayloads[E] },
): string {
  if (format === 'slack')
    return JSON.stringify({ text: summary(delivery.event, delivery.data, escapeSlack) });
  const text = summary(delivery.event, delivery.data);
  return JSON.stringify({
    id: delivery.id,
    event: delivery.event,
    occurredAt: delivery.occurredAt.toISOString(),
    text,
    data: delivery.data,
  });
}
