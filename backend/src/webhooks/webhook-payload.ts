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

/** One line for people (Slack's `text`). */
export function summary<E extends NotificationEvent>(
  event: E,
  data: NotificationPayloads[E],
): string {
  const d = data as NotificationPayloads[NotificationEvent];
  switch (event) {
    case 'job.failed': {
      const job = d as NotificationPayloads['job.failed'];
      return `Branchpoint job ${job.type} (${job.jobId}) failed: ${job.error}`;
    }
    case 'expiry.soon': {
      const soon = d as NotificationPayloads['expiry.soon'];
      return `Branchpoint ${soon.kind} "${soon.name}" expires at ${soon.expiresAt}`;
    }
    case 'expiry.expired': {
      const gone = d as NotificationPayloads['expiry.expired'];
      return `Branchpoint ${gone.kind} "${gone.name}" expired and was deleted`;
    }
    case 'expiry.blocked': {
      const kept = d as NotificationPayloads['expiry.blocked'];
      return `Branchpoint ${kept.kind} "${kept.name}" expired but is kept: ${kept.reason}`;
    }
    case 'bookmark.shared': {
      const shared = d as NotificationPayloads['bookmark.shared'];
      return `${shared.sharedBy} shared the Branchpoint bookmark "${shared.name}" with you`;
    }
    default: {
      const host = d as NotificationPayloads['host.down'];
      return `Branchpoint host ${host.name} is down${host.error ? `: ${host.error}` : ''}`;
    }
  }
}

/** The request body for a webhook of the given format. */
export function renderBody<E extends NotificationEvent>(
  format: WebhookFormat,
  delivery: { id: string; event: E; occurredAt: Date; data: NotificationPayloads[E] },
): string {
  const text = summary(delivery.event, delivery.data);
  if (format === 'slack') return JSON.stringify({ text });
  return JSON.stringify({
    id: delivery.id,
    event: delivery.event,
    occurredAt: delivery.occurredAt.toISOString(),
    text,
    data: delivery.data,
  });
}
