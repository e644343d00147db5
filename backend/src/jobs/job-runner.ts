import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { JobName } from '@branchpoint/contracts';
import { DelayedError, Worker, type Job } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { ContainerLock } from './container-lock.js';
import { indexHandlers, JobHandlerFor, type JobHandler } from './job-handler.js';
import { withJobLog } from './job-log.js';
import type { JobRecord } from './job.entity.js';
import { JobsService, OPERATIONS_QUEUE } from './jobs.service.js';
import { QueueRedis } from './redis.provider.js';
import { MetricsRegistry } from '../metrics/metrics.registry.js';
import { NotificationsService } from '../webhooks/notifications.service.js';

const BUSY_RETRY_MS = 300;

/**
 * Runs queued operations: finds the one handler of each job name, serializes jobs per
 * container with ContainerLock, and keeps the `job` table in step with what happens.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly lock: ContainerLock;
  private worker: Worker | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly redis: QueueRedis,
    private readonly notifications: NotificationsService,
  ) {
    this.lock = new ContainerLock(redis, config.queuePrefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registerHandlers();
    if (this.config.role === 'api') return;
    await this.failInterruptedJobs();
    this.worker = new Worker(OPERATIONS_QUEUE, (job, token) => this.process(job, token), {
      connection: this.redis,
      prefix: this.config.queuePrefix,
      concurrency: this.config.workerConcurrency,
      // A crashed worker's jobs count as stalled once their lock lapses; then BullMQ runs them again.
      lockDuration: 20_000,
      stalledInterval: 10_000,
    });
    this.worker.on('error', (error) => this.logger.error(`worker error: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  /** Start-up check: every job name has exactly one handler (see indexHandlers). */
  private registerHandlers(): void {
    const found = this.discovery
      .getProviders({ metadataKey: JobHandlerFor.KEY })
      .map((wrapper) => ({
        name: this.discovery.getMetadataByDecorator(JobHandlerFor, wrapper),
        provider: wrapper.name,
        instance: wrapper.instance as JobHandler<JobName>,
      }));
    for (const [name, handler] of indexHandlers(found)) this.handlers.set(name, handler);
  }

  /**
   * Jobs left queued or running by a stopped control plane: those still in the queue run (or are
   * retried by BullMQ's stalled-job check, safe since every step is idempotent); the others fail.
   */
  private async failInterruptedJobs(): Promise<void> {
    for (const record of await this.jobs.unfinished()) {
      const state = await this.jobs.queue.getJobState(record.id);
      if (['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state))
        continue;
      await this.jobs.update(record, {
        state: 'failed',
        error: 'interrupted: the control plane stopped while the job ran',
        finishedAt: new Date(),
      });
    }
  }

  private async process(job: Job, token: string | undefined): Promise<unknown> {
    const record = job.id ? await this.jobs.find(job.id) : null;
    if (!record || record.state === 'succeeded' || record.state === 'failed') return undefined;
    const containerId = record.containerId;
    if (containerId && !(await this.lock.acquire(containerId, record.id))) {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    const stopKeepAlive = containerId
      ? this.lock.keepAlive(containerId, record.id)
      : () => undefined;
    try {
      return await this.runHandler(job, record);
    } finally {
      stopKeepAlive();
      if (containerId) await this.lock.release(containerId, record.id);
    }
  }

  private async runHandler(job: Job, record: JobRecord): Promise<unknown> {
    const started = Date.now();
    await this.jobs.update(record, { state: 'running', startedAt: new Date() });
    const handler = this.handlers.get(record.type);
    // One writer at a time: progress polls and log lines may come concurrently.
    let writes = Promise.resolve();
    const serialized = (write: () => Promise<void>) => (writes = writes.then(write, write));
    const log = (lines: string[]) => serialized(() => this.jobs.appendLog(record, lines));
    try {
      if (!handler) throw new Error(`no handler for job "${record.type}"`);
      const run = handler.run.bind(handler, {
        jobId: record.id,
        userId: record.userId,
        payload: job.data,
        progress: (percent) =>
          serialized(async () => {
            await job.updateProgress(percent);
            await this.jobs.update(record, { progress: Math.round(percent) });
          }),
        log: (...lines) => log(lines),
      });
      const result = await withJobLog(log, run);
      await writes;
      await this.jobs.update(record, {
        state: 'succeeded',
        progress: 100,
        result: result ?? null,
        finishedAt: new Date(),
      });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await writes.catch(() => undefined);
      this.logger.warn(`job ${record.id} (${record.type}) failed: ${message}`);
      await this.jobs.update(record, { state: 'failed', error: message, finishedAt: new Date() });
      await this.notifications.notify([record.userId], 'job.failed', {
        jobId: record.id,
        type: record.type,
        containerId: record.containerId,
        error: message,
      });
      // Failed for good: the error is recorded, so BullMQ need not retry it.
      return undefined;
    } finally {
      this.metrics.jobDuration.observe(
        { type: record.type, state: record.state },
        (Date.now() - started) / 1000,
      );
    }
  }
}
