import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { JobName, type DestroyOrphansPayload } from '@branchpoint/contracts';
import { In, Not, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { InstallationService } from '../agents/installation.service.js';
import { AuditService } from '../audit/audit.service.js';
import { ConflictException } from '../common/app.exception.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { AppConfig } from '../config/app-config.js';
import { AuditEvent } from '../database/entities/audit-event.entity.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Host } from '../database/entities/host.entity.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateHost } from '../database/entities/template-host.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { EventsService } from '../events/events.service.js';
import { HostsService } from '../hosts/hosts.service.js';
import { ContainerLock, recoveryLockKey } from '../jobs/container-lock.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JobsService } from '../jobs/jobs.service.js';
import {
  compareHost,
  confirmedProblems,
  type HostCatalog,
  type HostComparison,
  type Orphan,
  type PlannedDivergence,
} from './divergences.js';
import { readHostState, type HostState } from './host-state.js';
import type { DivergenceDto, OrphanDto, ReconciliationReportDto } from './reconciliation.dto.js';

/** One orphan an admin confirmed: its key and the fingerprint the preview showed. */
export type ConfirmedOrphan = DestroyOrphansPayload['orphans'][number];

/**
 * Compares the catalog with what each agent holds and serves (datasets, points, holds, the
 * active branch, servers, ports). What the host's ZFS properties prove is repaired; everything
 * else is reported. It never destroys by itself: orphans go only through `requestDestroy`, an
 * admin's act on a list they saw, run as a job (`DestroyOrphansJob`). Datasets of another
 * installation are reported `foreign` and never touched.
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
    @InjectRepository(TemplateHost) private readonly templateHosts: Repository<TemplateHost>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Point) private readonly points: Repository<Point>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(JobRecord) private readonly jobs: Repository<JobRecord>,
    @InjectRepository(AuditEvent) private readonly auditEvents: Repository<AuditEvent>,
    @InjectRepository(Host) private readonly hostRows: Repository<Host>,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly redis: QueueRedis,
    private readonly installation: InstallationService,
    private readonly jobsService: JobsService,
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

  /**
   * The preview: every dataset of every host the catalog does not know now, with what a destroy
   * would remove, what depends on it, its verdict and fingerprint. Nothing is destroyed.
   */
  async orphans(): Promise<OrphanDto[]> {
    const orphans: OrphanDto[] = [];
    for (const host of await this.hosts.all()) {
      const comparison = await this.compare(host).catch(() => null);
      orphans.push(...(comparison?.orphans.map((o) => orphanDto(host, o)) ?? []));
    }
    return orphans;
  }

  /**
   * Checks that every confirmed orphan is still `destroyable` and unchanged since the preview,
   * then starts the job that destroys exactly those (it checks again before it destroys).
   * Nothing is destroyed and the answer is 409 naming each problem otherwise.
   */
  async requestDestroy(
    userId: string,
    hostId: string,
    confirmed: ConfirmedOrphan[],
  ): Promise<AcceptedJobDto> {
    const host = await this.hosts.get(hostId);
    const orphans = await this.checkConfirmed(host, confirmed);
    return this.jobsService.start(
      JobName.DestroyOrphans,
      { hostId, orphans: confirmed },
      { userId },
      {
        action: 'orphans.destroy-requested',
        entityType: 'host',
        entityId: host.id,
        details: {
          host: host.name,
          orphans: orphans.map((o) => ({ key: o.key, dataset: o.dataset, bytes: o.bytes })),
        },
      },
    );
  }

  /**
   * The job's body: checks the list again (409 naming each problem, nothing destroyed), then
   * has the agent destroy each, audited with its dataset and bytes. A key already gone from the
   * host (an earlier attempt destroyed it) counts as destroyed.
   */
  async destroyConfirmed(
    userId: string,
    payload: DestroyOrphansPayload,
    log: (line: string) => Promise<void>,
  ): Promise<string[]> {
    const host = await this.hosts.get(payload.hostId);
    const present = new Set((await this.compare(host)).orphans.map((o) => o.key));
    const remaining = payload.orphans.filter((o) => present.has(o.key));
    const orphans = remaining.length > 0 ? await this.checkConfirmed(host, remaining) : [];
    const agent = this.agents.client(host);
    for (const orphan of orphans) {
      await log(`destroying ${orphan.dataset} (${orphan.bytes} bytes)`);
      await (orphan.kind === 'container'
        ? agent.deleteContainer(orphan.id)
        : agent.deleteTemplate(orphan.id));
      await this.audit.record(userId, 'orphan.destroy', orphan.kind, orphan.id, {
        hostId: host.id,
        host: host.name,
        dataset: orphan.dataset,
        bytes: orphan.bytes,
        installation: orphan.installation,
      });
    }
    await this.reconcile(host);
    return payload.orphans.map((o) => o.key);
  }

  /**
   * The orphans of the confirmed list, each still `destroyable` with the fingerprint the admin
   * saw; else 409 naming every one that is not (the catalog references it now, another
   * installation's, unknown to the catalog, young, depended on, changed or gone).
   */
  private async checkConfirmed(host: Host, confirmed: ConfirmedOrphan[]): Promise<Orphan[]> {
    // A recovery may be about to adopt what looks orphaned now.
    if (await this.redis.exists(recoveryLockKey(this.config.queuePrefix)))
      throw new ConflictException(
        'reconciliation.refused',
        'a catalog recovery is running: destroy orphans after it',
      );
    const comparison = await this.compare(host);
    const byKey = new Map(comparison.orphans.map((o) => [o.key, o]));
    const problems = confirmedProblems(host.name, byKey, confirmed);
    if (problems.length > 0)
      throw new ConflictException(
        'reconciliation.refused',
        `nothing destroyed: ${problems.join('. ')}`,
      );
    return confirmed.map((c) => byKey.get(c.key)!);
  }

  private async reconcile(host: Host): Promise<ReconciliationReportDto> {
    const report: ReconciliationReportDto = {
      installationId: this.installation.id,
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
    // One agent registered as two hosts: each would see the other's datasets as orphans.
    if (state.agentId !== null) {
      const other = await this.hostRows.findOneBy({ agentId: state.agentId, id: Not(host.id) });
      if (other)
        throw new ConflictException(
          'host.agent-registered',
          `this host's agent (agent id ${state.agentId}) is registered as host "${other.name}" too: not reconciled; remove one of the two hosts`,
        );
    }
    const catalog = await this.catalogOf(host, state, since);
    return compareHost(state, catalog, new Date());
  }

  private async catalogOf(host: Host, state: HostState, since: Date): Promise<HostCatalog> {
    const containerIdsOnHost = [...state.containers.keys()];
    const containers = await this.containers.findBy({ hostId: host.id });
    const containerIds = containers.map((c) => c.id);
    // The templates ingested here, and those sent here (up to the version the host received).
    const copies = (await this.templateHosts.findBy({ hostId: host.id })).filter(
      (copy) => copy.versionNumber !== null,
    );
    const templates = [
      ...(await this.templates.findBy({ hostId: host.id })),
      ...(await this.templates.findBy({ id: In(copies.map((copy) => copy.templateId)) })),
    ];
    const received = new Map(copies.map((copy) => [copy.templateId, copy.versionNumber ?? 0]));
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
      versions: (await this.versions.findBy({ templateId: In(templates.map((t) => t.id)) })).filter(
        (v) => v.number <= (received.get(v.templateId) ?? Infinity),
      ),
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
      installationId: this.installation.id,
      ...(await this.unknownOnHost(
        host,
        containerIdsOnHost.filter((id) => !containerIds.includes(id)),
        [...state.templates.keys()].filter((id) => !templates.some((t) => t.id === id)),
      )),
    };
  }

  /**
   * Of the ids on the host the catalog does not have there: those it has on another host, and
   * those a job or the audit log names (the catalog once knew them; the others it never did).
   */
  private async unknownOnHost(
    host: Host,
    containerIds: string[],
    templateIds: string[],
  ): Promise<Pick<HostCatalog, 'elsewhere' | 'traced'>> {
    const elsewhere = new Map<string, string>();
    const traced = new Set<string>();
    const ids = [...containerIds, ...templateIds].filter(isUuid);
    if (ids.length === 0) return { elsewhere, traced };
    const hostNames = new Map((await this.hosts.all()).map((h) => [h.id, h.name]));
    for (const row of [
      ...(await this.containers.findBy({ id: In(ids), hostId: Not(host.id) })),
      ...(await this.templates.findBy({ id: In(ids), hostId: Not(host.id) })),
    ])
      elsewhere.set(row.id, hostNames.get(row.hostId) ?? row.hostId);
    const jobs = await this.jobs.find({
      select: { containerId: true, templateId: true },
      where: [{ containerId: In(ids) }, { templateId: In(ids) }],
    });
    for (const job of jobs) {
      if (job.containerId) traced.add(job.containerId);
      if (job.templateId) traced.add(job.templateId);
    }
    const events = await this.auditEvents.find({
      select: { entityId: true },
      where: { entityId: In(ids) },
    });
    for (const event of events) if (event.entityId) traced.add(event.entityId);
    return { elsewhere, traced };
  }

  /**
   * Applies the planned repairs per container under its job lock, so no operation starts
   * meanwhile; a container that a job took since the comparison keeps its divergences reported.
   */
  private async repair(host: Host, planned: PlannedDivergence[]): Promise<DivergenceDto[]> {
    const byContainer = new Map<string, PlannedDivergence[]>();
    const failed = new Map<PlannedDivergence, string>();
    for (const divergence of planned) {
      if (divergence.repair?.type === 'claim') {
        const error = await this.claim(host, divergence.repair);
        if (error) failed.set(divergence, error);
        continue;
      }
      if (!divergence.repair) continue;
      const id = divergence.subject.containerId!;
      byContainer.set(id, [...(byContainer.get(id) ?? []), divergence]);
    }
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

  /**
   * A container or template the catalog knows, made before installation ids, takes this
   * installation's id (adopted; audited). Returns why not, or null.
   */
  private async claim(
    host: Host,
    repair: Extract<PlannedDivergence['repair'], { type: 'claim' }>,
  ): Promise<string | null> {
    try {
      const result = await this.agents.client(host).claim({ kind: repair.kind, id: repair.id });
      if (result.adopted)
        await this.audit.record(null, 'reconciliation.claim', repair.kind, repair.id, {
          hostId: host.id,
          installation: result.installation,
        });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
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
  return { hostId: host.id, host: host.name, ...orphan };
}

const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
