import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName, type PointRef } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { In, Not, type Repository } from 'typeorm';
import { AccessService, activeBranchOf } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService, type AuditEntry } from '../jobs/jobs.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { expiryStateOf } from '../settings/dto/expiry.dto.js';
import { ExpirySettingsService } from '../settings/expiry-settings.service.js';
import { TimelineService } from '../timeline/timeline.service.js';
import type {
  BranchDto,
  CreateBranchDto,
  PointDto,
  RestoreBranchDto,
  UpdateBranchDto,
} from './dto/branch.dto.js';

@Injectable()
export class BranchesService {
  constructor(
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    private readonly access: AccessService,
    private readonly timeline: TimelineService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly expiry: ExpirySettingsService,
    private readonly events: EventsService,
    private readonly quotas: QuotasService,
  ) {}

  async list(user: CurrentUser, containerId: string, page: PageQueryDto): Promise<Page<BranchDto>> {
    const container = await this.access.ownedContainer(user, containerId);
    const query = this.branches
      .createQueryBuilder('b')
      .where('b."containerId" = :containerId', { containerId });
    const found = await paginate(query, page, { direction: 'ASC' });
    return found.map((branches) => branches.map((branch) => toBranchDto(branch, container)));
  }

  /** The container's branches, oldest first. */
  async listOf(container: Container): Promise<BranchDto[]> {
    const branches = await this.branches.find({
      where: { containerId: container.id },
      order: { createdAt: 'ASC' },
    });
    return branches.map((branch) => toBranchDto(branch, container));
  }

  /** A new branch from a bookmark, a point, or (neither given) the active branch's data now. */
  async create(
    user: CurrentUser,
    containerId: string,
    dto: CreateBranchDto,
  ): Promise<AcceptedJobDto> {
    if (dto.fromBookmarkId && dto.fromPointId)
      throw new BadInputException(
        'branch.origin-invalid',
        'give fromBookmarkId or fromPointId, not both',
      );
    const container = await this.access.operableContainer(user, containerId);
    if (await this.branches.existsBy({ containerId, name: dto.name }))
      throw new ConflictException(
        'branch.exists',
        `branch "${dto.name}" already exists in this container`,
      );
    const { origin, snapshotOrigin, bookmarkId } = await this.originFor(user, container, dto);
    // What the job will confirm from the origin point (the active branch may change meanwhile).
    const templateVersion = snapshotOrigin
      ? await this.timeline.branchVersion(origin.branchId)
      : await this.timeline.versionOf({ kind: 'point', pointId: origin.pointId });
    const expiresAt = await this.expiry.expiryOnCreate(user, 'branch', dto);
    const demand = { kind: 'branchesPerContainer', containerId } as const;
    const branch = await this.quotas.withinQuota(user, [demand], () =>
      this.branches.save(
        this.branches.create({
          id: randomUUID(),
          containerId,
          name: dto.name,
          state: 'creating',
          templateVersion,
          originPointId: origin.pointId,
          originContainerId: origin.containerId,
          originBookmarkId: bookmarkId,
          createdById: user.id,
          expiresAt,
          expiryWarnedAt: null,
          protected: false,
          expiryBlockedReason: null,
        }),
      ),
    );
    const accepted = await this.jobs.start(
      JobName.CreateBranch,
      { containerId, branchId: branch.id, pointId: randomUUID(), origin, snapshotOrigin },
      { userId: user.id, containerId },
      { ...onBranch('branch.create', branch.id), details: { containerId, name: dto.name, origin } },
    );
    return { ...accepted, id: branch.id };
  }

  async activate(user: CurrentUser, branchId: string): Promise<AcceptedJobDto> {
    const { branch, container } = await this.access.operableBranch(user, branchId);
    return this.jobs.start(
      JobName.ActivateBranch,
      { containerId: container.id, branchId },
      { userId: user.id, containerId: container.id },
      { ...onBranch('branch.activate', branch.id), details: { containerId: container.id } },
    );
  }

  /** Extends or changes the branch's expiry (warned again), or protects it. */
  async update(user: CurrentUser, branchId: string, dto: UpdateBranchDto): Promise<BranchDto> {
    const { branch, container } = await this.access.ownedBranch(user, branchId);
    await this.access.unlockedContainer(user, container.id);
    const changes = await this.expiry.expiryChanges(user, 'branch', dto, branch);
    if (Object.keys(changes).length > 0) await this.branches.update(branch.id, changes);
    Object.assign(branch, changes);
    await this.audit.record(user.id, 'branch.update', 'branch', branch.id, { ...dto });
    await this.events.containerChanged(container.id);
    return toBranchDto(branch, container);
  }

  /** Refused while the branch is active, holds bookmarks, or other branches were cloned from it. */
  async delete(user: CurrentUser, branchId: string): Promise<AcceptedJobDto> {
    // A branch whose creation failed may be deleted too; one being created or deleted may not.
    const { branch, container } = await this.access.operableContainerBranch(user, branchId);
    return this.startDelete(branch, container, user.id, 'branch.delete');
  }

  /** Queues the deletion of a branch (for its owner, or the expiry sweep); 409 naming what keeps it. */
  async startDelete(
    branch: Branch,
    container: Container,
    actorId: string,
    action: string,
  ): Promise<AcceptedJobDto> {
    const branchId = branch.id;
    if (branch.state === 'creating' || branch.state === 'deleting')
      throw new ConflictException('branch.busy', `branch "${branch.name}" is ${branch.state}`);
    if (container.activeBranchId === branch.id)
      throw new ConflictException(
        'branch.active',
        `branch "${branch.name}" is active; activate another branch first`,
      );
    const bookmarks = await this.bookmarks.findBy({ branchId });
    if (bookmarks.length > 0)
      throw new ConflictException(
        'branch.holds-bookmarks',
        `branch "${branch.name}" holds bookmarks ${bookmarks.map((b) => `"${b.name}"`).join(', ')}; delete them first`,
      );
    const dependents = await this.dependentsOf(branch);
    if (dependents.length > 0)
      throw new ConflictException(
        'branch.has-dependents',
        `branch "${branch.name}" is the origin of ${dependents.join(', ')}`,
      );
    await this.branches.update(branch.id, { state: 'deleting' });
    return this.jobs.start(
      JobName.DeleteBranch,
      { containerId: container.id, branchId },
      { userId: actorId, containerId: container.id },
      { ...onBranch(action, branchId), details: { containerId: container.id, name: branch.name } },
    );
  }

  async timelineOf(
    user: CurrentUser,
    branchId: string,
    page: PageQueryDto,
  ): Promise<Page<PointDto>> {
    await this.access.ownedBranch(user, branchId);
    return (await this.timeline.page(branchId, page)).map((points) =>
      points.map((point) => ({
        id: point.id,
        type: point.type,
        createdAt: point.createdAt,
        ...(point.bookmarkId ? { bookmarkId: point.bookmarkId } : {}),
        templateVersion: point.templateVersion,
      })),
    );
  }

  /** Restore the branch to a bookmark or point of this container. */
  async restore(
    user: CurrentUser,
    branchId: string,
    dto: RestoreBranchDto,
  ): Promise<AcceptedJobDto> {
    if (!dto.bookmarkId === !dto.pointId)
      throw new BadInputException(
        'branch.origin-invalid',
        'give exactly one of bookmarkId or pointId',
      );
    const { container } = await this.access.operableBranch(user, branchId);
    const target = dto.bookmarkId
      ? await this.bookmarkPoint(user, dto.bookmarkId)
      : await this.ownPoint(container, dto.pointId!);
    if (target.containerId !== container.id) {
      throw new BadInputException(
        'bookmark.other-container',
        'the bookmark belongs to another container; create a branch from it instead',
      );
    }
    return this.jobs.start(
      JobName.RestoreBranch,
      {
        ...stepIds(container.id, branchId),
        targetPointId: target.pointId,
        targetBranchId: target.branchId,
      },
      { userId: user.id, containerId: container.id },
      { ...onBranch('branch.restore', branchId), details: { target } },
    );
  }

  /** Throw away the branch's changes since its last point. */
  async reset(user: CurrentUser, branchId: string): Promise<AcceptedJobDto> {
    const { container } = await this.access.operableBranch(user, branchId);
    return this.jobs.start(
      JobName.ResetBranch,
      stepIds(container.id, branchId),
      { userId: user.id, containerId: container.id },
      onBranch('branch.reset', branchId),
    );
  }

  /** Names of branches (of any container) cloned from one of this branch's points. */
  private async dependentsOf(branch: Branch): Promise<string[]> {
    const pointIds = (await this.timeline.list(branch.id)).map((p) => p.id);
    if (pointIds.length === 0) return [];
    const dependents = await this.branches.findBy({
      originPointId: In(pointIds),
      id: Not(branch.id),
    });
    return Promise.all(
      dependents.map(async (d) =>
        describeBranch(d, await this.containers.findOneBy({ id: d.containerId })),
      ),
    );
  }

  private async originFor(
    user: CurrentUser,
    container: Container,
    dto: CreateBranchDto,
  ): Promise<{ origin: PointRef; snapshotOrigin: boolean; bookmarkId: string | null }> {
    if (dto.fromBookmarkId) {
      const origin = await this.bookmarkPoint(user, dto.fromBookmarkId);
      const source = await this.containers.findOneBy({ id: origin.containerId });
      if (source?.templateId !== container.templateId)
        throw new BadInputException(
          'bookmark.other-template',
          'the bookmark belongs to a container of another template',
        );
      return { origin, snapshotOrigin: false, bookmarkId: dto.fromBookmarkId };
    }
    if (dto.fromPointId)
      return {
        origin: await this.ownPoint(container, dto.fromPointId),
        snapshotOrigin: false,
        bookmarkId: null,
      };
    return {
      origin: {
        containerId: container.id,
        branchId: activeBranchOf(container),
        pointId: randomUUID(),
      },
      snapshotOrigin: true,
      bookmarkId: null,
    };
  }

  private async bookmarkPoint(user: CurrentUser, bookmarkId: string): Promise<PointRef> {
    const { bookmark } = await this.access.visibleBookmark(user, bookmarkId);
    return {
      containerId: bookmark.containerId,
      branchId: bookmark.branchId,
      pointId: bookmark.pointId,
    };
  }

  private async ownPoint(container: Container, pointId: string): Promise<PointRef> {
    const point = await this.timeline.find(pointId);
    if (!point || point.containerId !== container.id) throw new NotFoundException('point', pointId);
    return { containerId: container.id, branchId: point.branchId, pointId };
  }
}

export function stepIds(
  containerId: string,
  branchId: string,
): {
  containerId: string;
  branchId: string;
  beforePointId: string;
  generationId: string;
  afterPointId: string;
} {
  return {
    containerId,
    branchId,
    beforePointId: randomUUID(),
    generationId: randomUUID(),
    afterPointId: randomUUID(),
  };
}

export function toBranchDto(branch: Branch, container: Container): BranchDto {
  return {
    id: branch.id,
    containerId: branch.containerId,
    name: branch.name,
    state: branch.state,
    active: container.activeBranchId === branch.id,
    templateVersion: branch.templateVersion,
    originPointId: branch.originPointId,
    originBookmarkId: branch.originBookmarkId,
    ...expiryStateOf(branch),
    createdAt: branch.createdAt,
  };
}

/** The audit entry of an operation on a branch. */
function onBranch(action: string, branchId: string): AuditEntry {
  return { action, entityType: 'branch', entityId: branchId };
}

function describeBranch(branch: Branch, container: Container | null): string {
  return `branch "${branch.name}" of container "${container?.name ?? branch.containerId}"`;
}
