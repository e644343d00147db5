import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDelivery } from '../database/entities/webhook-delivery.entity.js';
import { Webhook } from '../database/entities/webhook.entity.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';
import { NotificationsService } from './notifications.service.js';
import { WebhookQueue } from './webhook-queue.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Global: the services where notable things happen (jobs, expiry, sharing, hosts) notify through it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery]), OutboundModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, NotificationsService, WebhookQueue, DeliverWebhookJob],
  exports: [NotificationsService],
})
export class WebhooksModule {}
