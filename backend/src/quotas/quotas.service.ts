import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { In, Not, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { NotFoundException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { AppConfig } from '../config/app-config.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { Setting } from '../database/entities/setting.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { UserQuota } from '../database/entities/user-quota.entity.js';
import { User } from '../database/entities/user.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import {
  checkQuota,
  effectiveLimits,
  NO_LIMITS,
  QUOTA_KINDS,
  type QuotaKind,
  type QuotaLimits,
} from './quota-limits.js';
import { QuotaLock } from './quota-lock.js';

const KEY = 'quotas';
const PENDING = In(['queued', 'running']);

/** What a create adds to which quota: servers of a new container, a branch of this container, ... */
export type QuotaDemand =
  | { kind: 'containers' | 'bookmarks' }
  | { kind: 'runningServers'; adding: number }
  | { kind: 'branchesPerContainer'; containerId: string };

/** One user's limits: the default, their overrides, and what applies. */
export interface UserQuotas {
  defaults: QuotaLimits;
  overrides: QuotaLimits;
  effective: QuotaLimits;
}

/**
 * Admin-set limits per user (a default for everyone, overrides per user), and the check every
 * create runs under a lock so that parallel creates cannot pass a limit together.
 */
@Injectable()
export class QuotasService {
  private readonly lock: QuotaLock;

  constructor(
    @InjectRepository(Setting) private readonly settings: Repository<Setting>,
    @InjectRepository(UserQuota) private readonly overrides: Repository<UserQuota>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    @InjectRepository(JobRecord) private readonly jobs: Repository<JobRecord>,
    private readonly audit: AuditService,
    redis: QueueRedis,
    config: AppConfig,
  ) {
    this.lock = new QuotaLock(redis, config.queuePrefix);
  }

  /** The limits of users without an override; none until an admin sets them. */
  async defaults(): Promise<QuotaLimits> {
    const stored = await this.settings.findOneBy({ key: KEY });
    return { ...NO_LIMITS, ...(stored?.value as Partial<QuotaLimits> | undefined) };
  }

  async setDefaults(actor: CurrentUser, limits: QuotaLimits): Promise<QuotaLimits> {
    const value = pick(limits);
    await this.settings.save({ key: KEY, value, updatedById: actor.id });
    await this.audit.record(actor.id, 'settings.quotas.update', 'setting', null, { ...value });
    return value;
  }

  /** The default, the user's overrides and what applies to them (404 for an unknown user). */
  async ofUser(userId: string): Promise<UserQuotas> {
    if (!(await this.users.existsBy({ id: userId }))) throw new NotFoundException('user', userId);
    const row = await this.overrides.findOneBy({ userId });
    const overrides = row ? pick(row) : { ...NO_LIMITS };
    const defaults = await this.defaults();
    return { defaults, overrides, effective: effectiveLimits(defaults, overrides) };
  }

  /** Replaces the user's overrides; a null limit follows the default. */
  async setOverrides(actor: CurrentUser, userId: string, limits: QuotaLimits): Promise<UserQuotas> {
    if (!(await this.users.existsBy({ id: userId }))) throw new NotFoundException('user', userId);
    const value = pick(limits);
    await this.overrides.save({ userId, ...value, updatedById: actor.id });
    await this.audit.record(actor.id, 'user.quotas.update', 'user', userId, { ...value });
    return this.ofUser(userId);
  }

  /** What the user uses of each quota (for branches: the most in one of their containers). */
  async usageOf(userId: string): Promise<Record<QuotaKind, number>> {
    const owned = await this.ownedContainers(userId);
    const branchCounts = owned.length
      ? await this.branches
          .createQueryBuilder('b')
          .select('b."containerId"', 'containerId')
          .addSelect('COUNT(*)::int', 'count')
          .where('b."containerId" IN (:...ids)', { ids: owned.map((c) => c.id) })
          .andWhere(`b.state <> 'deleting'`)
          .groupBy('b."containerId"')
          .getRawMany<{ count: number }>()
      : [];
    return {
      containers: owned.length,
      runningServers: await this.runningServers(userId),
      branchesPerContainer: Math.max(0, ...branchCounts.map((row) => row.count)),
      bookmarks: await this.bookmarkCount(userId),
    };
  }

  /**
   * Runs `create` (which must record what it creates before it returns: a row, or a queued
   * job) once every demand fits the user's limits, holding the quota's lock throughout, so
   * that a parallel create counts what this one made. 403 `quota.exceeded` naming the limit.
   */
  async withinQuota<T>(
    user: CurrentUser,
    demands: readonly QuotaDemand[],
    create: () => Promise<T>,
  ): Promise<T> {
    const limits = (await this.ofUser(user.id)).effective;
    const limited = demands.filter((d) => limits[d.kind] !== null);
    if (limited.length === 0) return create();
    const lockNames = limited.map((d) =>
      d.kind === 'branchesPerContainer' ? `container:${d.containerId}` : `user:${user.id}`,
    );
    return this.lock.holding(lockNames, async () => {
      for (const demand of limited) {
        const used = await this.used(user.id, demand);
        checkQuota(demand.kind, limits[demand.kind], used, 'adding' in demand ? demand.adding : 1);
      }
      return create();
    });
  }

  /** How many servers a container of this template runs: one per source. */
  async serversPerContainer(templateId: string): Promise<number> {
    return this.sources.countBy({ templateId });
  }

  private async used(userId: string, demand: QuotaDemand): Promise<number> {
    switch (demand.kind) {
      case 'containers':
        return (await this.ownedContainers(userId)).length;
      case 'runningServers':
        return this.runningServers(userId);
      case 'branchesPerContainer':
        return this.branches.countBy({
          containerId: demand.containerId,
          state: Not('deleting'),
        });
      case 'bookmarks':
        return this.bookmarkCount(userId);
    }
  }

  private ownedContainers(userId: string): Promise<Container[]> {
    return this.containers
      .createQueryBuilder('c')
      .select(['c.id'])
      .where(':userId = ANY(c."ownerIds")', { userId })
      .andWhere(`c.state <> 'deleting'`)
      .getMany();
  }

  /**
   * Servers of the user's containers that run or are about to: one per source of each
   * container serving (or being created), or with a start queued.
   */
  private async runningServers(userId: string): Promise<number> {
    const row = await this.containers
      .createQueryBuilder('c')
      .innerJoin(TemplateSource, 's', 's."templateId" = c."templateId"')
      .select('COUNT(*)::int', 'count')
      .where(':userId = ANY(c."ownerIds")', { userId })
      .andWhere(`c.state IN ('creating', 'ready')`)
      .andWhere(
        `(c.serving = 'running' OR EXISTS (SELECT 1 FROM job j WHERE j."containerId" = c.id AND j.type = :start AND j.state IN ('queued', 'running')))`,
        { start: JobName.StartContainer },
      )
      .getRawOne<{ count: number }>();
    return row?.count ?? 0;
  }

  /** Bookmarks the user made, and those their queued bookmark jobs are making. */
  private async bookmarkCount(userId: string): Promise<number> {
    const made = await this.bookmarks.countBy({ creatorId: userId });
    const coming = await this.jobs.countBy({
      userId,
      type: JobName.CreateBookmark,
      state: PENDING,
    });
    return made + coming;
  }
}

function pick(limits: QuotaLimits): QuotaLimits {
  const value = { ...NO_LIMITS };
  for (const kind of QUOTA_KINDS) value[kind] = limits[kind] ?? null;
  return value;
}
