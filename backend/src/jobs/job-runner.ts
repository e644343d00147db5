import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { JobName } from '@branchpoint/contracts';
import { DelayedError, Job, Worker } from 'bullmq';
import { CatalogChanges } from '../common/catalog-changes.js';
import { faultPoint } from '../common/fault-point.js';
import { appendToLog, TIMING_PREFIX, withJobScope } from '../common/job-log.js';
import { Listeners } from '../common/listeners.js';
import { MetricsRegistry } from '../common/metrics.registry.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { AppConfig } from '../config/app-config.js';
import type { JobRecord } from '../database/entities/job.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { NotificationsService } from '../webhooks/notifications.service.js';
import { ContainerLock } from './container-lock.js';
import { MAX_ATTEMPTS, runAttempts } from './job-attempts.js';
import { indexHandlers, JobHandlerFor, type JobHandler } from './job-handler.js';
import { JobsService, OPERATIONS_QUEUE } from './jobs.service.js';

/** A job that finds its container busy runs again after this long at the latest (see ContainerLock.wait). */
const BUSY_RETRY_MS = 300;
/** How often, and after how long, unfinished jobs the queue lost are looked for. */
const LOST_AFTER_MS = 30_000;

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
  private readonly sweep = new PeriodicTask('lost-job sweep', this.logger);
  private readonly failureListeners = new Listeners<JobRecord>(
    this.logger,
    (record) => `after failed job ${record.id}`,
  );

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly redis: QueueRedis,
    private readonly notifications: NotificationsService,
    private readonly catalogChanges: CatalogChanges,
  ) {
    this.lock = new ContainerLock(redis, config.queuePrefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registerHandlers();
    if (this.config.role === 'api') return;
    await this.resumeLostJobs(0);
    this.worker = new Worker(OPERATIONS_QUEUE, (job, token) => this.process(job, token), {
      connection: this.redis,
      prefix: this.config.queuePrefix,
      concurrency: this.config.workerConcurrency,
      // A crashed worker's jobs count as stalled once their lock lapses; then BullMQ runs them again.
      lockDuration: this.config.jobLockMs,
      stalledInterval: Math.round(this.config.jobLockMs / 3),
    });
    this.worker.on('error', (error) => this.logger.error(`worker error: ${error.message}`));
    this.sweep.start(() => this.resumeLostJobs(LOST_AFTER_MS), LOST_AFTER_MS, LOST_AFTER_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.sweep.stop();
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
   * Jobs the catalog calls queued or running that the queue no longer runs: the control plane
   * stopped between the two, a queue entry failed on a lost database, or Redis lost its data.
   * They are queued again and run from the start (handlers are idempotent) until MAX_ATTEMPTS;
   * jobs the queue still holds are left to it (a crashed worker's active job is retried by
   * BullMQ's stalled-job check). Only jobs older than `minAgeMs` count: a younger one may be
   * between its catalog row and its queue entry right now.
   */
  private async resumeLostJobs(minAgeMs: number): Promise<void> {
    for (const record of await this.jobs.unfinished()) {
      if (Date.now() - record.createdAt.getTime() < minAgeMs) continue;
      const state = await this.jobs.queue.getJobState(record.id);
      if (['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state))
        continue;
      if (record.attempts >= MAX_ATTEMPTS) {
        await this.recordFailure(record, `gave up after ${record.attempts} interrupted attempts`);
        await this.jobs.push(record);
        continue;
      }
      this.logger.warn(
        `job ${record.id} (${record.type}) was lost by the queue (${state}); running it again`,
      );
      await this.jobs.requeue(record);
    }
  }

  private async process(job: Job, token: string | undefined): Promise<unknown> {
    const record = job.id ? await this.jobs.find(job.id) : null;
    if (!record || record.state === 'succeeded' || record.state === 'failed') return undefined;
    const containerId = record.containerId;
    if (containerId && !(await this.lock.acquire(containerId, record.id))) {
      // The holder runs the waiters at once when it releases the lock (below); one that released
      // between our attempt and our delay found no one delayed yet, so we look once more.
      await this.lock.wait(containerId, record.id);
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      if (await this.lock.isFree(containerId)) await this.runNow(record.id);
      throw new DelayedError();
    }
    const stopKeepAlive = containerId
      ? this.lock.keepAlive(containerId, record.id)
      : () => undefined;
    let recorded = false;
    try {
      const result = await this.runHandler(job, record);
      recorded = true;
      return result;
    } finally {
      stopKeepAlive();
      if (containerId) await this.lock.release(containerId, record.id);
      // Clients hear of the end once the container is free: what they start next runs at once
      // instead of finding it busy. (The end is recorded: a failed push must not run it again.)
      if (recorded)
        await this.jobs
          .push(record)
          .catch((error: unknown) => this.logger.warn(`job ${record.id}: ${String(error)}`));
      if (containerId)
        for (const waiting of await this.lock.takeWaiters(containerId)) await this.runNow(waiting);
      // With the lock released, so that what listens (reconciliation) may repair the container.
      // (Read afresh: runHandler changed the state since the check above.)
      if ((record as JobRecord).state === 'failed') this.failureListeners.notify(record);
      // The hosts' catalog records learn what the job changed (fire-and-forget, never fails it).
      else if ((record as JobRecord).state === 'succeeded') this.catalogChanges.changed(record);
    }
  }

  /** A job delayed for a busy container runs now (no longer delayed, or gone: nothing to do). */
  private async runNow(jobId: string): Promise<void> {
    const job = await Job.fromId(this.jobs.queue, jobId).catch(() => undefined);
    await job?.promote().catch(() => undefined);
  }

  /**
   * `listener` learns of every job that failed for good, once its container is free again:
   * a failed job may have changed part of what the host holds, so the truth is read back.
   */
  whenJobFails(listener: (record: JobRecord) => Promise<void>): void {
    this.failureListeners.add(listener);
  }

  private async runHandler(job: Job, record: JobRecord): Promise<unknown> {
    const started = Date.now();
    const queuedMs = started - record.createdAt.getTime();
    await this.jobs.update(record, { state: 'running', startedAt: record.startedAt ?? new Date() });
    const handler = this.handlers.get(record.type);
    // One writer at a time: progress polls, log lines and attempt counts may come concurrently.
    let writes = Promise.resolve();
    const serialized = (write: () => Promise<void>) => (writes = writes.then(write, write));
    // Timing lines wait for the next write (a log line, or the job's end): none costs a write of its own.
    let notes: string[] = [];
    const takeNotes = () => {
      const taken = notes;
      notes = [];
      return taken;
    };
    const log = (lines: string[]) =>
      serialized(() => this.jobs.appendLog(record, [...takeNotes(), ...lines]));
    const note = (line: string) => void notes.push(line);
    const context = {
      jobId: record.id,
      userId: record.userId,
      payload: job.data,
      progress: (percent: number) =>
        serialized(async () => {
          // The queue entry's progress only mirrors the job record clients read; the entry may
          // be gone (Redis restarted empty: the sweep queues the job again), which is no failure.
          await job.updateProgress(percent).catch(() => undefined);
          await this.jobs.update(record, { progress: Math.round(percent) });
        }),
      log: (...lines: string[]) => log(lines),
    };
    try {
      if (!handler) throw new Error(`no handler for job "${record.type}"`);
      const result = await runAttempts(
        record.attempts,
        (attempt) => {
          faultPoint('job:before-handler');
          return withJobScope({ log, note, operationId: `${record.id}:${attempt}` }, () =>
            handler.run(context),
          );
        },
        {
          starting: (attempt) => serialized(() => this.jobs.update(record, { attempts: attempt })),
          // The log line is lost when the database is what went away; the retry is not.
          retrying: (error, attempt, delayMs) =>
            log([
              `${error.message}: trying again in ${delayMs / 1000} s (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`,
            ]).catch(() => undefined),
        },
      );
      await writes;
      faultPoint('job:after-handler');
      note(`${TIMING_PREFIX}queued ${queuedMs} ms, ran ${Date.now() - started} ms`);
      await this.jobs.write(record, {
        state: 'succeeded',
        progress: 100,
        result: result ?? null,
        log: appendToLog(record.log, takeNotes()),
        finishedAt: new Date(),
      });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await writes.catch(() => undefined);
      record.log = appendToLog(record.log, takeNotes());
      this.logger.warn(`job ${record.id} (${record.type}) failed: ${message}`);
      // Throws when the catalog itself is away: then BullMQ runs the job again later.
      await this.recordFailure(record, message);
      // Failed for good: the error is recorded, so BullMQ need not retry it.
      return undefined;
    } finally {
      this.metrics.jobDuration.observe(
        { type: record.type, state: record.state },
        (Date.now() - started) / 1000,
      );
    }
  }

  /**
   * Records the failure and tells the job's user (listeners hear of it once the lock is free);
   * pushing the job to its audience is the caller's.
   */
  private async recordFailure(record: JobRecord, message: string): Promise<void> {
    await this.jobs.write(record, { state: 'failed', error: message, finishedAt: new Date() });
    await this.notifications.notify([record.userId], 'job.failed', {
      jobId: record.id,
      type: record.type,
      containerId: record.containerId,
      error: message,
    });
  }
}
