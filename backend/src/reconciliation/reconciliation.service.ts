import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { AuditService } from '../audit/audit.service.js';
import { ConflictException } from '../common/app.exception.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { AppConfig } from '../config/app-config.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import type { Host } from '../database/entities/host.entity.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { EventsService } from '../events/events.service.js';
import { HostsService } from '../hosts/hosts.service.js';
import { ContainerLock, recoveryLockKey } from '../jobs/container-lock.js';
import { JobRunner } from '../jobs/job-runner.js';
import {
  compareHost,
  type HostCatalog,
  type HostComparison,
  type Orphan,
  type PlannedDivergence,
} from './divergences.js';
import { readHostState } from './host-state.js';
import type {
  DestroyedOrphansDto,
  DivergenceDto,
  OrphanDto,
  ReconciliationReportDto,
} from './reconciliation.dto.js';

/**
 * Compares the catalog with what each agent holds and serves (datasets, points, holds, the
 * active branch, servers, ports). What the host's ZFS properties prove is repaired; everything
 * else is reported. It never destroys: orphans go only through `destroyOrphans`, an admin's act.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly reports = new Map<string, ReconciliationReportDto>();
  private readonly periodic = new PeriodicTask('reconciliation', this.logger);
  private readonly lock: ContainerLock;

  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    @InjectRepository(TemplateVersion) private readonly versions: Repository<TemplateVersion>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Point) private readonly points: Repository<Point>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(JobRecord) private readonly jobs: Repository<JobRecord>,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly redis: QueueRedis,
  ) {
    this.lock = new ContainerLock(redis, config.queuePrefix);
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.periodic.start(() => this.reconcileAll(), this.config.reconcileIntervalMs, 1_000);
    this.runner.whenJobFails((record) => this.afterFailedJob(record));
    this.hosts.whenHostReturns(async (host) => void (await this.reconcile(host)));
  }

  /** A failed job may have changed part of what its host holds: the catalog follows the host at once. */
  private async afterFailedJob(record: JobRecord): Promise<void> {
    const hostId = record.containerId
      ? (await this.containers.findOneBy({ id: record.containerId }))?.hostId
      : record.templateId
        ? (await this.templates.findOneBy({ id: record.templateId }))?.hostId
        : undefined;
    if (hostId) await this.reconcile(await this.hosts.get(hostId));
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  lastReports(): ReconciliationReportDto[] {
    return [...this.reports.values()];
  }

  /** One cycle over every host: compare, repair what the host proves, keep the report. */
  async reconcileAll(): Promise<ReconciliationReportDto[]> {
    for (const host of await this.hosts.all()) await this.reconcile(host);
    return this.lastReports();
  }

  /** Orphans on every host now, with what depends on them; nothing is destroyed. */
  async orphans(): Promise<OrphanDto[]> {
    const orphans: OrphanDto[] = [];
    for (const host of await this.hosts.all()) {
      const comparison = await this.compare(host).catch(() => null);
      orphans.push(...(comparison?.orphans.map((o) => orphanDto(host, o)) ?? []));
    }
    return orphans;
  }

  /**
   * Destroys exactly the given orphans of one host, after checking again that each is still
   * unknown to the catalog, old enough and not depended on; refuses all of them (409) otherwise.
   */
  async destroyOrphans(
    userId: string,
    hostId: string,
    keys: string[],
  ): Promise<DestroyedOrphansDto> {
    // A recovery may be about to adopt what looks orphaned now.
    if (await this.redis.exists(recoveryLockKey(this.config.queuePrefix)))
      throw new ConflictException(
        'reconciliation.refused',
        'a catalog recovery is running: destroy orphans after it',
      );
    const host = await this.hosts.get(hostId);
    const comparison = await this.compare(host);
    const byKey = new Map(comparison.orphans.map((o) => [o.key, o]));
    const problems: string[] = [];
    for (const key of new Set(keys)) {
      const orphan = byKey.get(key);
      if (!orphan)
        problems.push(
          `${key} is not an orphan on host ${host.name} (the catalog knows it, or it is gone)`,
        );
      else if (orphan.pending)
        problems.push(`${key} was created less than a minute ago (a job may be creating it)`);
      else if (orphan.dependents.length > 0)
        problems.push(`${key} has dependents: ${orphan.dependents.join('; ')}`);
    }
    if (problems.length > 0)
      throw new ConflictException(
        'reconciliation.refused',
        `nothing destroyed: ${problems.join('. ')}`,
      );
    const agent = this.agents.client(host);
    const destroyed: string[] = [];
    for (const key of new Set(keys)) {
      const orphan = byKey.get(key)!;
      await (orphan.kind === 'container'
        ? agent.deleteContainer(orphan.id)
        : agent.deleteTemplate(orphan.id));
      destroyed.push(key);
      await this.audit.record(userId, 'orphan.destroy', orphan.kind, orphan.id, {
        hostId: host.id,
        host: host.name,
        dataset: orphan.dataset,
        bytes: orphan.bytes,
      });
    }
    await this.reconcile(host);
    return { hostId: host.id, destroyed };
  }

  private async reconcile(host: Host): Promise<ReconciliationReportDto> {
    const report: ReconciliationReportDto = {
      hostId: host.id,
      host: host.name,
      checkedAt: new Date(),
      error: null,
      divergences: [],
      orphans: [],
      skipped: [],
    };
    try {
      const comparison = await this.compare(host);
      report.divergences = await this.repair(host, comparison.divergences);
      report.orphans = comparison.orphans.map((o) => orphanDto(host, o));
      report.skipped = comparison.skipped;
    } catch (error) {
      report.error = (error as Error).message;
    }
    const shown = report.divergences.filter((d) => d.action !== 'pending');
    if (shown.length > 0) {
      const repaired = shown.filter((d) => d.action === 'repaired').length;
      this.logger.warn(
        `drift on host ${host.name}: ${shown.length} divergences (${repaired} repaired): ${[...new Set(shown.map((d) => d.kind))].join(', ')}`,
      );
    }
    this.reports.set(host.id, report);
    return report;
  }

  /**
   * Reads the host, then the catalog. Containers and templates with a job queued or running, or
   * one that ended since the host was read, are skipped: their rows and datasets may be mid-change.
   */
  private async compare(host: Host): Promise<HostComparison> {
    const since = new Date();
    const state = readHostState(await this.agents.client(host).inventory());
    const catalog = await this.catalogOf(host, [...state.containers.keys()], since);
    return compareHost(state, catalog, new Date());
  }

  private async catalogOf(
    host: Host,
    containerIdsOnHost: string[],
    since: Date,
  ): Promise<HostCatalog> {
    const containers = await this.containers.findBy({ hostId: host.id });
    const containerIds = containers.map((c) => c.id);
    const templates = await this.templates.findBy({ hostId: host.id });
    const busy = await this.jobs
      .createQueryBuilder('job')
      .select(['job.containerId', 'job.templateId'])
      .where("job.state IN ('queued', 'running') OR job.finishedAt >= :since", { since })
      .getMany();
    return {
      containers,
      branches: await this.branches.findBy({ containerId: In(containerIds) }),
      points: await this.points.find({
        select: { id: true, branchId: true, containerId: true },
        where: { containerId: In(containerIds) },
      }),
      bookmarks: await this.bookmarks.findBy({ containerId: In(containerIds) }),
      templates: templates.map((t) => ({ id: t.id, name: t.name })),
      versions: await this.versions.findBy({ templateId: In(templates.map((t) => t.id)) }),
      originBranches: (
        await this.branches.findBy({ originContainerId: In(containerIdsOnHost) })
      ).map((b) => ({
        id: b.id,
        name: b.name,
        containerId: b.containerId,
        originContainerId: b.originContainerId!,
      })),
      busyContainerIds: new Set(busy.flatMap((j) => (j.containerId ? [j.containerId] : []))),
      busyTemplateIds: new Set(busy.flatMap((j) => (j.templateId ? [j.templateId] : []))),
    };
  }

  /**
   * Applies the planned repairs per container under its job lock, so no operation starts
   * meanwhile; a container that a job took since the comparison keeps its divergences reported.
   */
  private async repair(host: Host, planned: PlannedDivergence[]): Promise<DivergenceDto[]> {
    const byContainer = new Map<string, PlannedDivergence[]>();
    for (const divergence of planned) {
      if (!divergence.repair) continue;
      const id = divergence.subject.containerId!;
      byContainer.set(id, [...(byContainer.get(id) ?? []), divergence]);
    }
    const failed = new Map<PlannedDivergence, string>();
    for (const [containerId, divergences] of byContainer) {
      const error = await this.repairContainer(host, containerId, divergences).catch(
        (e: unknown) => (e as Error).message,
      );
      if (error) for (const d of divergences) failed.set(d, error);
    }
    return planned.map((planned) => {
      const { repair: _repair, ...divergence } = planned;
      const error = failed.get(planned);
      return error === undefined ? divergence : { ...divergence, action: 'reported', error };
    });
  }

  /** Returns why the repairs could not be applied, or null when they were. */
  private async repairContainer(
    host: Host,
    containerId: string,
    divergences: PlannedDivergence[],
  ): Promise<string | null> {
    const owner = `reconciliation-${randomUUID()}`;
    if (!(await this.lock.acquire(containerId, owner))) return 'busy: an operation started';
    try {
      const changes = Object.assign(
        {},
        ...divergences.map((d) => (d.repair?.type === 'container' ? d.repair.changes : {})),
      ) as Partial<Container>;
      if (Object.keys(changes).length > 0) await this.containers.update(containerId, changes);
      for (const d of divergences) {
        if (d.repair?.type === 'hold')
          await this.agents.client(host).hold(d.repair.holdTag, d.repair.request);
      }
      await this.audit.record(null, 'reconciliation.repair', 'container', containerId, {
        hostId: host.id,
        repaired: divergences.map((d) => ({ kind: d.kind, catalog: d.catalog, host: d.host })),
      });
    } finally {
      await this.lock.release(containerId, owner);
    }
    await this.events.containerChanged(containerId);
    return null;
  }
}

function orphanDto(host: Host, orphan: Orphan): OrphanDto {
  return {
    hostId: host.id,
    host: host.name,
    key: orphan.key,
    kind: orphan.kind,
    id: orphan.id,
    dataset: orphan.dataset,
    bytes: orphan.bytes,
    createdAt: orphan.createdAt,
    dependents: orphan.dependents,
    pending: orphan.pending,
  };
}
