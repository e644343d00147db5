import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { NotificationEvent, NotificationPayloads } from '../common/notification-events.js';
import { AppConfig } from '../config/app-config.js';
import { WebhookDelivery } from '../database/entities/webhook-delivery.entity.js';
import { Webhook } from '../database/entities/webhook.entity.js';
import { renderBody } from './webhook-payload.js';
import { WebhookQueue } from './webhook-queue.js';

/** The one way to notify: queues a delivery to every webhook of the users (and to admin webhooks). */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly queue: WebhookQueue,
    private readonly config: AppConfig,
  ) {}

  /** Never throws: a notification that cannot be queued must not fail what caused it (it is logged). */
  async notify<E extends NotificationEvent>(
    userIds: readonly string[],
    event: E,
    data: NotificationPayloads[E],
  ): Promise<void> {
    try {
      const targets = await this.webhooks
        .createQueryBuilder('w')
        .where(':event = ANY(w.events)', { event })
        .andWhere(
          userIds.length > 0
            ? `(w.scope = 'admin' OR w."userId" IN (:...userIds))`
            : `w.scope = 'admin'`,
          { userIds },
        )
        .getMany();
      const occurredAt = new Date();
      for (const webhook of targets) {
        const id = randomUUID();
        await this.deliveries.insert({
          id,
          webhookId: webhook.id,
          event,
          body: renderBody(webhook.format, { id, event, occurredAt, data }),
          state: 'pending',
          attempts: 0,
          outcome: null,
          finishedAt: null,
        });
        await this.queue.add(id);
        await this.prune(webhook.id);
      }
    } catch (error) {
      this.logger.error(`notification ${event} not queued: ${(error as Error).message}`);
    }
  }

  /**
   * Keeps the newest BP_WEBHOOK_DELIVERIES_KEPT deliveries of a webhook. Pending ones stay until
   * they are sent (or fail for good), so a burst loses no notification; the next prune takes them.
   */
  private async prune(webhookId: string): Promise<void> {
    await this.deliveries.query(
      `DELETE FROM "webhook_delivery" WHERE "webhookId" = $1 AND "state" <> 'pending' AND "id" NOT IN (
         SELECT "id" FROM "webhook_delivery" WHERE "webhookId" = $1
         ORDER BY "createdAt" DESC, "id" DESC LIMIT $2)`,
      [webhookId, this.config.webhookDeliveriesKept],
    );
  }
}
