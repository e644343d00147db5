import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SecretBox } from '../../common/secret-box.js';
import { WebhookDelivery } from '../../database/entities/webhook-delivery.entity.js';
import { Webhook } from '../../database/entities/webhook.entity.js';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../webhook-payload.js';

const TIMEOUT_MS = 10_000;

export interface DeliverWebhookContext {
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
  /** No retry follows a failure of this attempt. */
  lastAttempt: boolean;
}

/** Posts one stored delivery, signed; throws on failure so the queue retries it with backoff. */
@Injectable()
export class DeliverWebhookJob {
  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly secrets: SecretBox,
  ) {}

  async run({ deliveryId, attempt, lastAttempt }: DeliverWebhookContext): Promise<void> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    const webhook = delivery && (await this.webhooks.findOneBy({ id: delivery.webhookId }));
    // Deleted in the meantime: nothing to send to.
    if (!delivery || !webhook || delivery.state !== 'pending') return;
    const timestamp = String(Math.floor(Date.now() / 1000));
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Branchpoint-Webhooks',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: sign(this.secrets.open(webhook.secret), timestamp, delivery.body),
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `receiver answered HTTP ${status}`;
    } catch (failure) {
      error = (failure as Error).message;
    }
    const done = !error || lastAttempt;
    await this.deliveries.update(delivery.id, {
      attempts: attempt,
      responseStatus: status,
      error,
      ...(done ? { state: error ? 'failed' : 'succeeded', finishedAt: new Date() } : {}),
    });
    if (error) throw new Error(error);
  }
}
