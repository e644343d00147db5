import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';
import { NotificationsService } from './notifications.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookQueue } from './webhook-queue.js';
import { Webhook } from './webhook.entity.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Global: the services where notable things happen (jobs, expiry, sharing, hosts) notify through it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery])],
  controllers: [WebhooksController],
  providers: [WebhooksService, NotificationsService, WebhookQueue, DeliverWebhookJob],
  exports: [NotificationsService],
})
export class WebhooksModule {}
