import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, In, Not, type Repository } from 'typeorm';
import { AccessService, activeBranchOf, isOwner } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { BranchesService, stepIds } from '../branches/branches.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import { CatalogChanges } from '../common/catalog-changes.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { SecretBox } from '../common/secret-box.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService, type AuditEntry } from '../jobs/jobs.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { expiryStateOf } from '../settings/dto/expiry.dto.js';
import { ExpirySettingsService } from '../settings/expiry-settings.service.js';
import { TemplatesService } from '../templates/templates.service.js';
import { TimelineService } from '../timeline/timeline.service.js';
import { UsersService } from '../users/users.service.js';
import { ContainerCredentialsService } from './container-credentials.service.js';
import { newContainerPassword } from './container-password.js';
import { PlacementService } from './placement.service.js';
import { clientAccess } from '../common/engines.js';
import type {
  ContainerDetailDto,
  ContainerDto,
  ContainerHostDto,
  CreateContainerDto,
  EndpointDto,
  UpdateContainerDto,
} from './dto/container.dto.js';

export const DEFAULT_BRANCH = 'default';

@Injectable()
export class ContainersService {
  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly templates: TemplatesService,
    private readonly branchService: BranchesService,
    private readonly timeline: TimelineService,
    private readonly users: UsersService,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly expiry: ExpirySettingsService,
    private readonly credentials: ContainerCredentialsService,
    private readonly catalogChanges: CatalogChanges,
    private readonly quotas: QuotasService,
    private readonly secrets: SecretBox,
    private readonly placement: PlacementService,
  ) {}

  /**
   * A new container with its `default` branch, from the latest version or a bookmark, on the
   * host placement chooses among those holding the template (or the one the user asked for).
   */
  async create(user: CurrentUser, dto: CreateContainerDto): Promise<AcceptedJobDto> {
    const template = await this.templates.template(dto.templateId).catch(() => {
      throw new BadInputException('template.unknown', `template ${dto.templateId} does not exist`);
    });
    let templateVersion: string;
    const origin = dto.fromBookmarkId
      ? await this.access.visibleBookmark(user, dto.fromBookmarkId)
      : null;
    if (origin) {
      if (origin.container.templateId !== template.id)
        throw new BadInputException(
          'bookmark.other-template',
          'the bookmark belongs to a container of another template',
        );
      templateVersion = await this.timeline.versionOf({
        kind: 'point',
        pointId: origin.bookmark.pointId,
      });
    } else {
      const latest = await this.templates.latestReadyVersion(template.id);
      if (!latest)
        throw new ConflictException(
          'template.no-version',
          `template "${template.name}" has no ready version yet`,
        );
      templateVersion = latest.version;
    }
    const expiresAt = await this.expiry.expiryOnCreate(user, 'container', dto);
    const hostId = await this.placement.choose(template.id, dto.hostId);
    const container = this.containers.create({
      id: randomUUID(),
      name: dto.name,
      templateId: template.id,
      hostId,
      ownerIds: [user.id],
      password: this.secrets.seal(newContainerPassword()),
      activeBranchId: null,
      lockedById: null,
      state: 'creating',
      serving: 'running',
      lastActivityAt: null,
      endpoints: [],
      expiresAt,
      expiryWarnedAt: null,
      protected: false,
      expiryBlockedReason: null,
    });
    const branch = this.branches.create({
      id: randomUUID(),
      containerId: container.id,
      name: DEFAULT_BRANCH,
      state: 'creating',
      templateVersion,
      originPointId: origin?.bookmark.pointId ?? null,
      originContainerId: origin?.bookmark.containerId ?? null,
      originBookmarkId: origin?.bookmark.id ?? null,
      createdById: user.id,
    });
    const servers = await this.quotas.serversPerContainer(template.id);
    await this.quotas.withinQuota(
      user,
      [{ kind: 'containers' }, { kind: 'runningServers', adding: servers }],
      () =>
        this.dataSource.transaction(async (manager) => {
          await manager.save(container);
          await manager.save(branch);
        }),
    );
    const accepted = await this.jobs.start(
      JobName.CreateContainer,
      {
        containerId: container.id,
        branchId: branch.id,
        pointId: randomUUID(),
        ...(dto.fromBookmarkId ? { fromBookmarkId: dto.fromBookmarkId } : {}),
      },
      { userId: user.id, containerId: container.id },
      {
        action: 'container.create',
        entityType: 'container',
        entityId: container.id,
        details: {
          name: dto.name,
          templateId: template.id,
          fromBookmarkId: dto.fromBookmarkId ?? null,
        },
      },
    );
    return { ...accepted, id: container.id };
  }

  /** Containers I own, and those a bookmark of is shared with me (all, for admins). */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<ContainerDto>> {
    const query = this.containers.createQueryBuilder('c');
    if (!isAdmin(user)) {
      query.where(
        new Brackets((q) =>
          q
            .where(':userId = ANY(c.ownerIds)')
            .orWhere(
              `EXISTS (SELECT 1 FROM bookmark b WHERE b."containerId" = c.id AND (b.visibility = 'everyone' OR :userId = ANY(b."sharedWith")))`,
            ),
        ),
        { userId: user.id },
      );
    }
    const found = await paginate(query, page, { direction: 'ASC' });
    return found.map((containers) => this.toDtos(user, containers));
  }

  async get(user: CurrentUser, id: string): Promise<ContainerDetailDto> {
    const { container } = await this.access.visibleContainer(user, id);
    const dto = (await this.toDtos(user, [container]))[0]!;
    return {
      ...dto,
      branches: dto.access === 'owner' ? await this.branchService.listOf(container) : [],
    };
  }

  /** Frees everything the container alone holds; refused while other containers' branches were cloned from it. */
  async delete(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    const container = await this.access.unlockedContainer(user, id);
    return this.startDelete(container, user.id, 'container.delete');
  }

  /** Queues the deletion of a container (for its owner, or the expiry sweep); 409 naming what depends on it. */
  async startDelete(
    container: Container,
    actorId: string,
    action: string,
  ): Promise<AcceptedJobDto> {
    const id = container.id;
    if (container.state !== 'ready' && container.state !== 'failed')
      throw new ConflictException('container.busy', `container ${id} is ${container.state}`);
    await this.refuseIfOrigin(container);
    await this.containers.update(id, { state: 'deleting' });
    return this.jobs.start(
      JobName.DeleteContainer,
      { containerId: id },
      { userId: actorId, containerId: id },
      { action, entityType: 'container', entityId: id, details: { name: container.name } },
    );
  }

  /** 409 naming the branches of other containers that were cloned from this one. */
  async refuseIfOrigin(container: Container): Promise<void> {
    const id = container.id;
    const dependents = await this.branches.find({
      where: { originContainerId: id, containerId: Not(id) },
    });
    if (dependents.length > 0) {
      const names = await Promise.all(
        dependents.map(
          async (b) =>
            `branch "${b.name}" of container "${(await this.containers.findOneBy({ id: b.containerId }))?.name ?? b.containerId}"`,
        ),
      );
      throw new ConflictException(
        'container.has-dependents',
        `container "${container.name}" is the origin of ${names.join(', ')}; delete those first`,
      );
    }
  }

  /** Brings the template's newest version into the active branch as a new generation; bookmarks stay. */
  async refresh(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    const container = await this.access.operableContainer(user, id);
    const latest = await this.templates.latestReadyVersion(container.templateId);
    if (!latest)
      throw new ConflictException('template.no-version', 'the template has no ready version');
    return this.jobs.start(
      JobName.RefreshContainer,
      { ...stepIds(id, activeBranchOf(container)), version: latest.version },
      { userId: user.id, containerId: id },
      { ...onContainer('container.refresh', id), details: { version: latest.version } },
    );
  }

  /** Reverses the last restore, reset, refresh, undo or settings change on the active branch. */
  async undo(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    const branchId = activeBranchOf(await this.access.operableContainer(user, id));
    await this.timeline.undoTarget(branchId);
    return this.jobs.start(
      JobName.UndoContainer,
      stepIds(id, branchId),
      { userId: user.id, containerId: id },
      onContainer('container.undo', id),
    );
  }

  /** Starts the databases of a stopped (or idle-stopped) container again, on the same ports. */
  async start(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    const container = await this.access.operableContainer(user, id);
    activeBranchOf(container);
    const start = () =>
      this.jobs.start(
        JobName.StartContainer,
        { containerId: id },
        { userId: user.id, containerId: id },
        onContainer('container.start', id),
      );
    // Starting a running container changes nothing: no room needed.
    if (container.serving === 'running') return start();
    const servers = await this.quotas.serversPerContainer(container.templateId);
    return this.quotas.withinQuota(user, [{ kind: 'runningServers', adding: servers }], start);
  }

  /** Stops the databases to free memory; the data stays as it is. */
  async stop(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    await this.access.operableContainer(user, id);
    return this.jobs.start(
      JobName.StopContainer,
      { containerId: id, reason: 'owner' },
      { userId: user.id, containerId: id },
      onContainer('container.stop', id),
    );
  }

  /** Renames the container, extends or changes its expiry (warned again), or protects it. */
  async update(user: CurrentUser, id: string, dto: UpdateContainerDto): Promise<ContainerDto> {
    const container = await this.access.unlockedContainer(user, id);
    const changes: Partial<Container> = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(await this.expiry.expiryChanges(user, 'container', dto, container)),
    };
    return this.change(user, container, changes, 'container.update', { ...dto });
  }

  /** Only the locker may operate on a locked container. */
  async lock(user: CurrentUser, id: string): Promise<ContainerDto> {
    const container = await this.access.ownedContainer(user, id);
    if (container.lockedById && container.lockedById !== user.id)
      throw new ConflictException(
        'container.locked',
        `container ${id} is already locked by another user`,
      );
    return this.change(user, container, { lockedById: user.id }, 'container.lock');
  }

  async unlock(user: CurrentUser, id: string): Promise<ContainerDto> {
    const container = await this.access.ownedContainer(user, id);
    if (container.lockedById && container.lockedById !== user.id && !isAdmin(user))
      throw new ConflictException(
        'container.locked',
        `container ${id} is locked by another user; only they may unlock it`,
      );
    return this.change(user, container, { lockedById: null }, 'container.unlock');
  }

  async addOwner(user: CurrentUser, id: string, userId: string): Promise<ContainerDto> {
    const container = await this.access.ownedContainer(user, id);
    if ((await this.users.unknownIds([userId])).length > 0)
      throw new BadInputException('user.unknown', `user ${userId} does not exist`);
    return this.change(
      user,
      container,
      { ownerIds: [...new Set([...container.ownerIds, userId])] },
      'container.owner.add',
      { userId },
    );
  }

  /** The removed owner knew the password: the container gets a new one (a job). */
  async removeOwner(user: CurrentUser, id: string, userId: string): Promise<ContainerDto> {
    const container = await this.access.ownedContainer(user, id);
    if (!container.ownerIds.includes(userId)) throw new NotFoundException('owner', userId);
    if (container.ownerIds.length === 1)
      throw new ConflictException('container.last-owner', 'a container keeps at least one owner');
    const dto = await this.change(
      user,
      container,
      { ownerIds: container.ownerIds.filter((o) => o !== userId) },
      'container.owner.remove',
      { userId },
    );
    await this.credentials.rotateAfterAccessLost(container, user.id);
    return dto;
  }

  /** Every container the user is an owner of (alone or with others). */
  ownedBy(userId: string): Promise<Container[]> {
    return this.containers
      .createQueryBuilder('c')
      .where(':userId = ANY(c."ownerIds")', { userId })
      .orderBy('c.name')
      .getMany();
  }

  /**
   * The user's account is disabled: every container they own gets a new database password,
   * which they knew. When enabled again they read the new one like any owner.
   */
  async rotateOwnedBy(actor: CurrentUser, userId: string): Promise<void> {
    for (const container of await this.ownedBy(userId))
      await this.credentials.rotateAfterAccessLost(container, actor.id);
  }

  /**
   * A user leaves (their account is deleted): `successorId` takes their place among the owners,
   * or the other owners keep the container. Their lock goes, and the container gets a new
   * database password, which the departed user knew.
   */
  async replaceOwner(
    actor: CurrentUser,
    container: Container,
    departingId: string,
    successorId: string | null,
  ): Promise<void> {
    const others = container.ownerIds.filter((id) => id !== departingId);
    const ownerIds = [...new Set(successorId ? [...others, successorId] : others)];
    if (ownerIds.length === 0)
      throw new ConflictException('container.last-owner', 'a container keeps at least one owner');
    const lockedById = container.lockedById === departingId ? null : container.lockedById;
    await this.change(actor, container, { ownerIds, lockedById }, 'container.owner.replace', {
      userId: departingId,
      successorId,
    });
    await this.credentials.rotateAfterAccessLost(container, actor.id);
  }

  private async change(
    user: CurrentUser,
    container: Container,
    changes: Partial<Container>,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<ContainerDto> {
    // A PATCH may change nothing (e.g. unprotect what is not protected): no empty UPDATE.
    if (Object.keys(changes).length > 0) await this.containers.update(container.id, changes);
    Object.assign(container, changes);
    await this.audit.record(user.id, action, 'container', container.id, details);
    await this.events.containerChanged(container.id);
    this.catalogChanges.changed({ containerId: container.id });
    return (await this.toDtos(user, [container]))[0]!;
  }

  /**
   * The template version each container's data derives from: its active branch's, or while
   * none is active (being created, or failed), its first branch's.
   */
  private async versionsOf(containers: Container[]): Promise<Map<string, string>> {
    const branches = containers.length
      ? await this.branches.find({
          select: { id: true, containerId: true, templateVersion: true },
          where: { containerId: In(containers.map((c) => c.id)) },
          order: { createdAt: 'ASC' },
        })
      : [];
    const versions = new Map<string, string>();
    for (const container of containers) {
      const own = branches.filter((b) => b.containerId === container.id);
      const shown = own.find((b) => b.id === container.activeBranchId) ?? own[0];
      if (shown) versions.set(container.id, shown.templateVersion);
    }
    return versions;
  }

  /** The endpoints with the container's password, for its owners' eyes. */
  private endpointsOf(container: Container): EndpointDto[] {
    const password = this.secrets.open(container.password);
    return container.endpoints.map((e) => toEndpointDto(e, password));
  }

  private async toDtos(user: CurrentUser, containers: Container[]): Promise<ContainerDto[]> {
    const versions = await this.versionsOf(containers);
    const hosts = await this.placement.hostsOf(containers);
    // The users of the whole page at once: one query, not one per container.
    const names = await this.users.usernames([
      ...new Set(
        containers.flatMap((c) => [...c.ownerIds, ...(c.lockedById ? [c.lockedById] : [])]),
      ),
    ]);
    // Every container has a branch from the start (made in one transaction with it).
    return containers.map((c) =>
      this.toDto(user, c, versions.get(c.id) ?? '', hosts.get(c.hostId), names),
    );
  }

  private toDto(
    user: CurrentUser,
    container: Container,
    templateVersion: string,
    host: ContainerHostDto | undefined,
    names: Map<string, string>,
  ): ContainerDto {
    const owner = isOwner(user, container);
    const ref = (id: string) => ({ id, username: names.get(id) ?? '(deleted user)' });
    return {
      id: container.id,
      name: container.name,
      templateId: container.templateId,
      templateVersion,
      host: host ?? { id: container.hostId, name: '(removed host)', status: 'down' },
      available: host?.status !== 'down' && host !== undefined,
      state: container.state,
      access: owner ? 'owner' : 'viewer',
      serving: container.serving,
      owners: container.ownerIds.map(ref),
      activeBranchId: container.activeBranchId,
      lockedBy: container.lockedById ? ref(container.lockedById) : null,
      endpoints: owner ? this.endpointsOf(container) : [],
      ...expiryStateOf(container),
      createdAt: container.createdAt,
    };
  }
}

/** The audit entry of an operation on a container. */
function onContainer(action: string, containerId: string): AuditEntry {
  return { action, entityType: 'container', entityId: containerId };
}

function toEndpointDto(endpoint: Container['endpoints'][number], password: string): EndpointDto {
  return {
    source: endpoint.source,
    kind: endpoint.kind ?? 'postgres',
    host: endpoint.host,
    port: endpoint.port,
    database: endpoint.database,
    username: endpoint.username,
    path: endpoint.path ?? null,
    password,
    ...clientAccess(endpoint, password),
  };
}
