import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { QueueRedis } from '../database/redis.provider.js';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';

export const WEBHOOKS_QUEUE = 'webhooks';
/** 1 try + 5 retries, 2 s apart and doubling: a receiver down for about a minute loses nothing. */
const ATTEMPTS = 6;
const FIRST_RETRY_MS = 2_000;

/**
 * Deliveries go through their own queue, not the operations one: they retry with backoff
 * (operations fail for good) and need no container lock or job record.
 */
@Injectable()
export class WebhookQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookQueue.name);
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly redis: QueueRedis,
    private readonly config: AppConfig,
    private readonly deliver: DeliverWebhookJob,
  ) {
    this.queue = new Queue(WEBHOOKS_QUEUE, { connection: redis, prefix: config.queuePrefix });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.worker = new Worker(
      WEBHOOKS_QUEUE,
      (job) =>
        this.deliver.run({
          deliveryId: (job.data as { deliveryId: string }).deliveryId,
          attempt: job.attemptsMade + 1,
          lastAttempt: job.attemptsMade + 1 >= ATTEMPTS,
        }),
      { connection: this.redis, prefix: this.config.queuePrefix, concurrency: 4 },
    );
    this.worker.on('error', (error) => this.logger.error(`webhook worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  async add(deliveryId: string): Promise<void> {
    await this.queue.add(
      'deliver',
      { deliveryId },
      {
        jobId: deliveryId,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: FIRST_RETRY_MS },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      },
    );
  }
}
