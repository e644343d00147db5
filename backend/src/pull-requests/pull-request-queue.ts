import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { QueueRedis } from '../database/redis.provider.js';
import { HandlePullRequestEventJob } from './jobs/handle-pull-request-event.job.js';

export const PULL_REQUESTS_QUEUE = 'pull-requests';
/** A crash mid-way is handled again (the handler picks up what it started); then it is failed. */
const ATTEMPTS = 3;

/**
 * Pull-request events go through their own queue, one at a time: the events of one pull request
 * (opened, then new commits, then closed) are handled in the order they came.
 */
@Injectable()
export class PullRequestQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PullRequestQueue.name);
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly redis: QueueRedis,
    private readonly config: AppConfig,
    private readonly handle: HandlePullRequestEventJob,
  ) {
    this.queue = new Queue(PULL_REQUESTS_QUEUE, { connection: redis, prefix: config.queuePrefix });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.worker = new Worker(
      PULL_REQUESTS_QUEUE,
      (job) => this.handle.run((job.data as { eventId: string }).eventId),
      { connection: this.redis, prefix: this.config.queuePrefix, concurrency: 1 },
    );
    this.worker.on('error', (error) => this.logger.error(`pull-request worker: ${error.message}`));
    // Failed for good (the database or Redis was away through every attempt): the event ends.
    this.worker.on('failed', (job, error) => {
      if (!job || job.attemptsMade < ATTEMPTS) return;
      const eventId = (job.data as { eventId: string }).eventId;
      this.logger.error(`pull-request event ${eventId} failed: ${error.message}`);
      void this.handle.giveUp(eventId).catch(() => undefined);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  async add(eventId: string): Promise<void> {
    await this.queue.add(
      'handle',
      { eventId },
      { jobId: eventId, attempts: ATTEMPTS, removeOnComplete: 1000, removeOnFail: 1000 },
    );
  }
}
