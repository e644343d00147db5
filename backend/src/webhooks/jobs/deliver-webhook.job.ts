import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SecretBox } from '../../common/secret-box.js';
import { WebhookDelivery } from '../../database/entities/webhook-delivery.entity.js';
import { Webhook } from '../../database/entities/webhook.entity.js';
import { OutboundService } from '../../outbound/outbound.service.js';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../webhook-payload.js';

const TIMEOUT_MS = 10_000;

export interface DeliverWebhookContext {
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
  /** No retry follows a failure of this attempt. */
  lastAttempt: boolean;
}

/**
 * Posts one stored delivery, signed, through the outbound fence (the address connected to is
 * checked, redirects are not followed); throws on failure so the queue retries it with backoff.
 * The delivery records only the outcome's category; the exact status or error is logged here.
 */
@Injectable()
export class DeliverWebhookJob {
  private readonly logger = new Logger(DeliverWebhookJob.name);

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly secrets: SecretBox,
    private readonly outbound: OutboundService,
  ) {}

  async run({ deliveryId, attempt, lastAttempt }: DeliverWebhookContext): Promise<void> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    const webhook = delivery && (await this.webhooks.findOneBy({ id: delivery.webhookId }));
    // Deleted in the meantime: nothing to send to.
    if (!delivery || !webhook || delivery.state !== 'pending') return;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const { outcome, detail } = await this.outbound.post(webhook.url, {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Branchpoint-Webhooks',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(this.secrets.open(webhook.secret), timestamp, delivery.body),
      },
      body: delivery.body,
      timeoutMs: TIMEOUT_MS,
    });
    const failed = outcome !== 'ok';
    if (failed)
      this.logger.warn(
        `webhook ${webhook.id} delivery ${delivery.id} attempt ${attempt}: ${outcome} (${detail})`,
      );
    const done = !failed || lastAttempt;
    await this.deliveries.update(delivery.id, {
      attempts: attempt,
      outcome,
      ...(done ? { state: failed ? 'failed' : 'succeeded', finishedAt: new Date() } : {}),
    });
    if (failed) throw new Error(`delivery ${outcome}`);
  }
}
