import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { InstallationService } from '../agents/installation.service.js';
import { AuditService } from '../audit/audit.service.js';
import { releaseLock, takeLock } from '../common/redis-lock.js';
import { ConflictException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { newContainerPassword } from '../containers/container-password.js';
import { storedEndpoints } from '../containers/stored-endpoints.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import type { Host } from '../database/entities/host.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { User } from '../database/entities/user.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { EventsService } from '../events/events.service.js';
import { HostsService } from '../hosts/hosts.service.js';
import { ContainerLock, recoveryLockKey } from '../jobs/container-lock.js';
import { installationsOn, readHostState, withoutForeign } from '../reconciliation/host-state.js';
import { hashPassword } from '../users/users.service.js';
import {
  planAdoption,
  type AdoptionPlan,
  type ExistingCatalog,
  type RecoveryHost,
  type SkippedItem,
} from './adoption-plan.js';
import { CatalogMirrorService } from './catalog-mirror.service.js';
import type { RecoveredUserDto, RecoveryHostDto, RecoveryResultDto } from './recovery.dto.js';

/** Longest a recovery may hold the recovery lock (a crashed one frees it then). */
const RECOVERY_LOCK_MS = 30 * 60_000;

/**
 * Disaster recovery of the catalog: adopts what the hosts hold and the catalog lacks (see
 * adoption-plan.ts), each container under its job lock so no operation or reconciliation repair
 * runs on it meanwhile. Hosts must be registered first (they live in the catalog).
 */
@Injectable()
export class RecoveryService {
  private readonly logger = new Logger(RecoveryService.name);
  private readonly lock: ContainerLock;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    private readonly mirror: CatalogMirrorService,
    private readonly redis: QueueRedis,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly installation: InstallationService,
  ) {
    this.lock = new ContainerLock(redis, config.queuePrefix);
  }

  async recover(admin: CurrentUser, dryRun: boolean): Promise<RecoveryResultDto> {
    const runId = randomUUID();
    const key = recoveryLockKey(this.config.queuePrefix);
    if (!(await takeLock(this.redis, key, runId, RECOVERY_LOCK_MS)))
      throw new ConflictException('recovery.running', 'a recovery is already running');
    try {
      return await this.run(admin, dryRun);
    } finally {
      await releaseLock(this.redis, key, runId);
    }
  }

  private async run(admin: CurrentUser, dryRun: boolean): Promise<RecoveryResultDto> {
    const hosts = await this.hosts.all();
    const read: (RecoveryHost & { host: Host })[] = [];
    const hostReports: RecoveryHostDto[] = [];
    for (const host of hosts) {
      try {
        const state = readHostState(await this.agents.client(host).inventory());
        read.push({ id: host.id, name: host.name, state, host });
        hostReports.push({ hostId: host.id, host: host.name, error: null });
      } catch (error) {
        hostReports.push({ hostId: host.id, host: host.name, error: (error as Error).message });
      }
    }
    const existing = await this.existing();
    const foreign = await this.keepToOwnInstallation(admin, read, existing, dryRun);
    const plan = planAdoption(read, existing, {
      adminId: admin.id,
      now: new Date(),
      newId: randomUUID,
    });
    plan.skipped.push(...foreign);
    const result: RecoveryResultDto = {
      dryRun,
      hosts: hostReports,
      adopted: plan.adopted,
      skipped: plan.skipped,
      unchanged: plan.unchanged,
      users: plan.users.map((u) => ({ ...u, password: null })),
    };
    if (dryRun) return result;

    result.users = await this.createUsers(plan.users);
    await this.dataSource.transaction(async (manager) => {
      await insert(manager, Template, plan.templates);
      await insert(
        manager,
        TemplateSource,
        plan.sources.map((s) => ({
          ...s,
          connectionString: this.secrets.seal(s.connectionString),
        })),
      );
      await insert(manager, TemplateVersion, plan.versions);
    });
    const failed = new Map<string, string>();
    for (const containerId of touchedContainers(plan)) {
      const host = read.find((h) => h.state.containers.has(containerId))!.host;
      const error = await this.adoptContainer(host, containerId, plan).catch(
        (e: unknown) => (e as Error).message,
      );
      if (error) failed.set(containerId, error);
      else await this.events.containerChanged(containerId);
    }
    const holdErrors = await this.applyHolds(plan, read, failed);
    const failure = (item: { containerId: string | null }) =>
      item.containerId === null ? undefined : failed.get(item.containerId);
    result.adopted = plan.adopted.filter((item) => failure(item) === undefined);
    result.skipped = [
      ...plan.skipped,
      ...plan.adopted
        .filter((item) => failure(item) !== undefined)
        .map(({ kind, id, hostId, host, ...item }) => ({
          kind,
          id,
          hostId,
          host,
          reason: `adoption failed: ${failure(item)}`,
        })),
      ...holdErrors,
    ];
    await this.audit.record(admin.id, 'catalog.recover', 'catalog', null, {
      hosts: hostReports,
      adopted: countByKind(result.adopted),
      skipped: result.skipped.length,
      usersCreated: result.users.map((u) => u.username),
    });
    // Objects adopted from structure got names: the hosts learn them at once.
    await this.mirror.mirrorAll().catch(() => undefined);
    return result;
  }

  /**
   * Leaves out what carries another installation's id: it is never adopted (listed as skipped).
   * A new catalog (no container or template yet) recovering hosts whose datasets carry one single
   * other installation id continues that installation: it takes the id (not in a dry run), so
   * those datasets stay its own and its agents keep serving it.
   */
  private async keepToOwnInstallation(
    admin: CurrentUser,
    read: RecoveryHost[],
    existing: ExistingCatalog,
    dryRun: boolean,
  ): Promise<SkippedItem[]> {
    const ids = new Set(read.flatMap((h) => [...installationsOn(h.state)]));
    let ours = this.installation.id;
    const [only] = ids;
    const fresh = existing.containers.length === 0 && existing.templates.length === 0;
    if (fresh && ids.size === 1 && only !== undefined && only !== ours) {
      if (!dryRun) {
        await this.installation.takeOver(only, admin.id);
        await this.audit.record(admin.id, 'installation.take-over', 'catalog', null, {
          from: ours,
          to: only,
        });
      }
      ours = only;
    }
    return read.flatMap((h) =>
      withoutForeign(h.state, ours).map((f) => ({
        kind: f.kind,
        id: f.id,
        hostId: h.id,
        host: h.name,
        reason: `it belongs to installation ${f.installation}, not to this one (${ours})`,
      })),
    );
  }

  /** What the catalog has now, in the few columns the plan needs. */
  private async existing(): Promise<ExistingCatalog> {
    const m = this.dataSource.manager;
    return {
      templates: await m.find(Template, { select: { id: true, name: true } }),
      versions: await m.find(TemplateVersion, { select: { templateId: true, number: true } }),
      containers: await m.find(Container, { select: { id: true, templateId: true } }),
      branches: await m.find(Branch, {
        select: { id: true, containerId: true, name: true, templateVersion: true },
      }),
      points: await m.find(Point, { select: { id: true, templateVersion: true } }),
      bookmarks: await m.find(Bookmark, { select: { id: true } }),
      users: await m.find(User, { select: { id: true, username: true } }),
    };
  }

  /** Users the records name: role `user`, a generated password shown once in the answer. */
  private async createUsers(users: AdoptionPlan['users']): Promise<RecoveredUserDto[]> {
    const created: RecoveredUserDto[] = [];
    for (const { id, username } of users) {
      const password = randomBytes(12).toString('base64url');
      await this.users.insert({
        id,
        username,
        role: 'user',
        passwordHash: await hashPassword(password),
      });
      created.push({ id, username, password });
    }
    return created;
  }

  /**
   * One container's rows under its job lock. A container new to the catalog first gets a new
   * password on the host (the host keeps only a verifier), whose answer also gives its endpoints.
   */
  private async adoptContainer(host: Host, containerId: string, plan: AdoptionPlan): Promise<void> {
    const owner = `recovery-${randomUUID()}`;
    if (!(await this.lock.acquire(containerId, owner)))
      throw new Error('busy: an operation is running on it');
    try {
      const row = plan.containers.find((c) => c.id === containerId);
      let container: Container | null = null;
      if (row) {
        const password = newContainerPassword();
        const status = await this.agents.client(host).setPassword(containerId, { password });
        const sources = plan.sources.filter((s) => s.templateId === row.templateId);
        const known = await this.dataSource.manager.findBy(TemplateSource, {
          templateId: row.templateId,
        });
        container = {
          ...row,
          password: this.secrets.seal(password),
          endpoints: storedEndpoints(status.endpoints, [...known, ...sources], host.url),
        };
      }
      await this.dataSource.transaction(async (manager) => {
        if (container) await manager.insert(Container, container);
        await insert(
          manager,
          Branch,
          plan.branches.filter((b) => b.containerId === containerId),
        );
        await insert(
          manager,
          Point,
          plan.points.filter((p) => p.containerId === containerId),
        );
        await insert(
          manager,
          Bookmark,
          plan.bookmarks.filter((b) => b.containerId === containerId),
        );
      });
    } finally {
      await this.lock.release(containerId, owner);
    }
  }

  /** Holds of adopted bookmarks again (idempotent on the agent); returns those that failed. */
  private async applyHolds(
    plan: AdoptionPlan,
    hosts: { id: string; host: Host }[],
    failed: Map<string, string>,
  ): Promise<RecoveryResultDto['skipped']> {
    const errors: RecoveryResultDto['skipped'] = [];
    for (const hold of plan.holds) {
      if (failed.has(hold.request.containerId)) continue;
      const host = hosts.find((h) => h.id === hold.hostId)!.host;
      await this.agents
        .client(host)
        .hold(hold.holdTag, hold.request)
        .catch((error: unknown) => {
          this.logger.warn(`hold ${hold.holdTag} not applied again: ${String(error)}`);
          errors.push({
            kind: 'bookmark',
            id: hold.holdTag,
            hostId: host.id,
            host: host.name,
            reason: `adopted, but its hold was not applied again: ${(error as Error).message}`,
          });
        });
    }
    return errors;
  }
}

async function insert<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: object[],
): Promise<void> {
  if (rows.length > 0) await manager.insert(entity, rows as T[]);
}

/** Containers that get rows: adopted ones, and those of the catalog that get branches, points or bookmarks. */
function touchedContainers(plan: AdoptionPlan): string[] {
  return [
    ...new Set([
      ...plan.containers.map((c) => c.id),
      ...plan.branches.map((b) => b.containerId),
      ...plan.points.map((p) => p.containerId),
      ...plan.bookmarks.map((b) => b.containerId),
    ]),
  ];
}

function countByKind(items: { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
