import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { QueueRedis } from '../database/redis.provider.js';
import { ExpiryService } from './expiry.service.js';

export const EXPIRY_QUEUE = 'expiry';
const SCHEDULER_ID = 'expiry-sweep';

/** A sweep job's data: `now` (ISO) makes it act as of that time (tests control the clock so). */
export interface ExpirySweepData {
  now?: string;
}

/**
 * The sweep runs as a BullMQ job scheduled every BP_EXPIRY_SWEEP_MS, on its own queue (no
 * container lock, no job record): one worker of all the replicas takes each round.
 */
@Injectable()
export class ExpiryQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryQueue.name);
  private readonly queue: Queue<ExpirySweepData>;
  private worker: Worker<ExpirySweepData> | undefined;

  constructor(
    private readonly redis: QueueRedis,
    private readonly config: AppConfig,
    private readonly expiry: ExpiryService,
  ) {
    this.queue = new Queue(EXPIRY_QUEUE, { connection: redis, prefix: config.queuePrefix });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.expirySweepMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker<ExpirySweepData>(
      EXPIRY_QUEUE,
      (job) => this.expiry.sweep(job.data.now ? new Date(job.data.now) : new Date()),
      { connection: this.redis, prefix: this.config.queuePrefix, concurrency: 1 },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.error(`expiry sweep ${job?.id ?? ''} failed: ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.error(`expiry worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
