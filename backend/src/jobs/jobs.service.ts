import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { JobName, JobPayloads, JobView } from '@branchpoint/contracts';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AccessService, type Audience } from '../access/access.service.js';
import { HostUnavailableException } from '../agents/agent.exception.js';
import { AuditService } from '../audit/audit.service.js';
import { ForbiddenException, NotFoundException } from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { appendToLog } from '../common/job-log.js';
import { paginate, type Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { EventsService } from '../events/events.service.js';
import type { AcceptedJobDto, JobQueryDto } from './dto/job.dto.js';

export const OPERATIONS_QUEUE = 'operations';

export interface JobScope {
  userId: string;
  containerId?: string;
  templateId?: string;
}

/** The audit log's line for an operation: what was asked, of which object. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
  /** Who asked, when not the job's user; null: the control plane itself. */
  actorId?: string | null;
}

/** Enqueues operations and answers what became of them. */
@Injectable()
export class JobsService implements OnApplicationShutdown {
  readonly queue: Queue;
  /**
   * Each job's audience, read at its first event and kept for the others (a job pushes one per
   * state, progress step and log line): a record object lives as long as one run of its job.
   */
  private readonly audiences = new WeakMap<JobRecord, Promise<Audience>>();

  constructor(
    @InjectRepository(JobRecord) private readonly jobs: Repository<JobRecord>,
    private readonly access: AccessService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    redis: QueueRedis,
    config: AppConfig,
  ) {
    this.queue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix: config.queuePrefix });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  /**
   * Starts an operation whose checks passed: records it in the audit log, then queues its
   * job. What every operation the API answers with 202 `{ jobId }` does.
   */
  async start<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    scope: JobScope,
    audit: AuditEntry,
  ): Promise<AcceptedJobDto> {
    const { action, entityType, entityId, details, actorId = scope.userId } = audit;
    if (scope.containerId) await this.refuseUnavailableHost(scope.containerId);
    await this.audit.record(actorId, action, entityType, entityId, details);
    return { jobId: await this.enqueue(name, payload, scope) };
  }

  /**
   * 503 at once for an operation on a container whose host is down or cut off (the background
   * health check's verdict): no job that would wait on an agent that cannot answer.
   */
  private async refuseUnavailableHost(containerId: string): Promise<void> {
    const host = await this.jobs.manager
      .createQueryBuilder()
      .select('h.name', 'name')
      .addSelect('h.status', 'status')
      .from('container', 'c')
      .innerJoin('host', 'h', 'h.id = c."hostId"')
      .where('c.id = :containerId', { containerId })
      .getRawOne<{ name: string; status: string }>();
    if (host?.status === 'down') throw new HostUnavailableException(host.name);
  }

  /** Stores the job as queued first, then queues it under the same id; returns the id. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    scope: JobScope,
  ): Promise<string> {
    const record = this.jobs.create({
      id: randomUUID(),
      type: name,
      containerId: scope.containerId ?? null,
      templateId: scope.templateId ?? null,
      userId: scope.userId,
      state: 'queued',
      progress: 0,
      attempts: 0,
      error: null,
      result: null,
      payload: payload as unknown as Record<string, unknown>,
      log: [],
      startedAt: null,
      finishedAt: null,
    });
    void this.audienceOf(record).catch(() => undefined); // read while the row is written
    // A plain INSERT (save would look the id up first, in a transaction); createdAt comes back.
    await this.jobs.insert(record as Parameters<typeof this.jobs.insert>[0]);
    // Queued is pushed before the queue holds the job: the worker's "running" comes after it.
    await this.push(record);
    await this.queue.add(name, payload, queueOptions(record.id));
    return record.id;
  }

  /** Queues an unfinished job again under its id, replacing a queue entry that ended or was lost. */
  async requeue(record: JobRecord): Promise<void> {
    await this.queue.remove(record.id).catch(() => undefined);
    await this.queue.add(record.type, record.payload, queueOptions(record.id));
  }

  /** A job of a container the user may see (or that the user started). */
  async get(user: CurrentUser, id: string): Promise<JobView> {
    const record = await this.jobs.findOneBy({ id });
    if (!record || !(await this.maySee(user, record))) throw new NotFoundException('job', id);
    return toJobView(record);
  }

  /** Newest first: a container's jobs, or those the user started. */
  /** A container's jobs, or those the user started; newest first, one page. */
  async list(user: CurrentUser, query: JobQueryDto): Promise<Page<JobView>> {
    const { containerId } = query;
    if (containerId && !(await this.maySeeContainer(user, containerId)))
      throw new NotFoundException('container', containerId);
    const jobs = this.jobs.createQueryBuilder('j');
    if (containerId) jobs.where('j."containerId" = :containerId', { containerId });
    else jobs.where('j."userId" = :userId', { userId: user.id });
    return (await paginate(jobs, query, { direction: 'DESC' })).map((records) =>
      records.map(toJobView),
    );
  }

  /** Writes the changes and pushes the job to its audience. */
  async update(record: JobRecord, changes: Partial<JobRecord>): Promise<void> {
    await this.write(record, changes);
    await this.push(record);
  }

  /**
   * Writes the changes alone (the runner pushes a job's end once its container is free). One
   * UPDATE of the changed columns: save would read the row first, in a transaction.
   */
  async write(record: JobRecord, changes: Partial<JobRecord>): Promise<void> {
    Object.assign(record, changes);
    await this.jobs.update({ id: record.id }, changes as Parameters<typeof this.jobs.update>[1]);
  }

  /** Pushes the job as recorded to its audience (read at the record's first push, see `audiences`). */
  async push(record: JobRecord): Promise<void> {
    this.events.jobUpdated(toJobView(record), record.userId, await this.audienceOf(record));
  }

  private audienceOf(record: JobRecord): Promise<Audience> {
    let audience = this.audiences.get(record);
    if (!audience) {
      audience = this.events.audienceOf(record.containerId);
      this.audiences.set(record, audience);
      // A failed read (the database away) is read again at the next push.
      audience.catch(() => this.audiences.delete(record));
    }
    return audience;
  }

  /** Appends lines to the job's log (capped) and pushes the job to its audience. */
  async appendLog(record: JobRecord, lines: string[]): Promise<void> {
    await this.update(record, { log: appendToLog(record.log, lines) });
  }

  find(id: string): Promise<JobRecord | null> {
    return this.jobs.findOneBy({ id });
  }

  unfinished(): Promise<JobRecord[]> {
    return this.jobs.find({ where: [{ state: 'queued' }, { state: 'running' }] });
  }

  async countsByState(): Promise<{ type: string; state: string; count: number }[]> {
    const rows = await this.jobs
      .createQueryBuilder('j')
      .select('j.type', 'type')
      .addSelect('j.state', 'state')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('j.type')
      .addGroupBy('j.state')
      .getRawMany<{ type: string; state: string; count: number }>();
    return rows;
  }

  private async maySee(user: CurrentUser, record: JobRecord): Promise<boolean> {
    if (isAdmin(user) || record.userId === user.id) return true;
    return record.containerId ? this.maySeeContainer(user, record.containerId) : false;
  }

  private async maySeeContainer(user: CurrentUser, containerId: string): Promise<boolean> {
    try {
      await this.access.ownedContainer(user, containerId);
      return true;
    } catch (error) {
      // Users a bookmark of the container is shared with see its jobs too.
      return error instanceof ForbiddenException;
    }
  }
}

/**
 * A job's queue entry. The handler records its own failures; an entry only fails when the
 * catalog could not be written (the metadata database away), and then BullMQ tries again.
 */
function queueOptions(jobId: string) {
  return {
    jobId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}

export function toJobView(record: JobRecord): JobView {
  return {
    id: record.id,
    type: record.type,
    containerId: record.containerId,
    state: record.state,
    progress: record.progress,
    ...(record.error ? { error: record.error } : {}),
    ...(record.result ? { result: record.result } : {}),
    log: record.log,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
