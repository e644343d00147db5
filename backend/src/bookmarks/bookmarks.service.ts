import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { Brackets, In, type Repository } from 'typeorm';
import { AccessService, isOwner } from '../access/access.service.js';
import { AgentsService } from '../agents/agents.service.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInputException, ConflictException } from '../common/app.exception.js';
import { bugUrl, equivalentBugRefs } from '../common/bug-ref.js';
import { CatalogChanges } from '../common/catalog-changes.js';
import { paginate, type Page } from '../common/pagination.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { AppConfig } from '../config/app-config.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { expiryStateOf } from '../settings/dto/expiry.dto.js';
import { ExpirySettingsService } from '../settings/expiry-settings.service.js';
import { TimelineService } from '../timeline/timeline.service.js';
import { UsersService } from '../users/users.service.js';
import { NotificationsService } from '../webhooks/notifications.service.js';
import type {
  BookmarkDto,
  BookmarkQueryDto,
  CreateBookmarkDto,
  ShareBookmarkDto,
  UpdateBookmarkDto,
} from './dto/bookmark.dto.js';

@Injectable()
export class BookmarksService {
  constructor(
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly access: AccessService,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly users: UsersService,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly expiry: ExpirySettingsService,
    private readonly catalogChanges: CatalogChanges,
    private readonly quotas: QuotasService,
  ) {}

  /** A named, held point of the branch's current data. */
  async create(
    user: CurrentUser,
    branchId: string,
    dto: CreateBookmarkDto,
  ): Promise<AcceptedJobDto> {
    const { branch, container } = await this.access.operableBranch(user, branchId);
    const bookmarkId = randomUUID();
    const expiresAt = await this.expiry.expiryOnCreate(user, 'bookmark', dto);
    const fields = {
      name: dto.name,
      description: dto.description ?? null,
      tags: dto.tags ?? [],
      bugRef: dto.bugRef ?? null,
      expiresAt: expiresAt?.toISOString() ?? null,
    };
    // The bookmark's row comes with its job: the quota counts queued bookmark jobs too.
    const accepted = await this.quotas.withinQuota(user, [{ kind: 'bookmarks' }], () =>
      this.jobs.start(
        JobName.CreateBookmark,
        {
          containerId: container.id,
          branchId: branch.id,
          bookmarkId,
          pointId: randomUUID(),
          bookmark: fields,
        },
        { userId: user.id, containerId: container.id },
        {
          action: 'bookmark.create',
          entityType: 'bookmark',
          entityId: bookmarkId,
          details: { branchId, name: dto.name },
        },
      ),
    );
    return { ...accepted, id: bookmarkId };
  }

  /** Bookmarks of my containers (`mine`), shared with me (`shared`), or both. */
  async list(user: CurrentUser, query: BookmarkQueryDto): Promise<Page<BookmarkDto>> {
    const scope = query.scope ?? 'all';
    const q = this.bookmarks
      .createQueryBuilder('b')
      .innerJoin(Container, 'c', 'c.id = b."containerId"');
    const mine = isAdmin(user) ? 'TRUE' : ':userId = ANY(c."ownerIds")';
    const shared = `(b.visibility = 'everyone' OR (b.visibility = 'users' AND :userId = ANY(b."sharedWith")))`;
    if (scope === 'mine') q.where(mine, { userId: user.id });
    else if (scope === 'shared') q.where(`${shared} AND NOT (${mine})`, { userId: user.id });
    else q.where(`(${mine} OR ${shared})`, { userId: user.id });
    if (query.tag) q.andWhere(':tag = ANY(b.tags)', { tag: query.tag });
    if (query.bugRef)
      q.andWhere('b."bugRef" IN (:...bugRefs)', {
        bugRefs: equivalentBugRefs(query.bugRef, this.config.bugUrlPattern),
      });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.andWhere(
        new Brackets((w) =>
          w
            .where('b.name ILIKE :like', { like })
            .orWhere('b.description ILIKE :like')
            .orWhere('b."bugRef" ILIKE :like'),
        ),
      );
    }
    const found = await paginate(q, query, { direction: 'DESC' });
    return found.map((bookmarks) => this.toDtos(user, bookmarks));
  }

  async get(user: CurrentUser, id: string): Promise<BookmarkDto> {
    const { bookmark } = await this.access.visibleBookmark(user, id);
    return (await this.toDtos(user, [bookmark]))[0]!;
  }

  async update(user: CurrentUser, id: string, dto: UpdateBookmarkDto): Promise<BookmarkDto> {
    const { bookmark, container } = await this.access.ownedBookmark(user, id);
    const changes: Partial<Bookmark> = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.tags !== undefined ? { tags: dto.tags } : {}),
      ...(dto.bugRef !== undefined ? { bugRef: dto.bugRef } : {}),
      // A new expiry deserves a new warning.
      ...(await this.expiry.expiryChanges(user, 'bookmark', dto, bookmark)),
    };
    return this.change(user, bookmark, container, changes, 'bookmark.update', { ...dto });
  }

  async share(user: CurrentUser, id: string, dto: ShareBookmarkDto): Promise<BookmarkDto> {
    if (!dto.userIds === !dto.everyone)
      throw new BadInputException('bookmark.share-invalid', 'give userIds or everyone: true');
    const { bookmark, container } = await this.access.ownedBookmark(user, id);
    if (dto.everyone)
      return this.change(user, bookmark, container, { visibility: 'everyone' }, 'bookmark.share', {
        everyone: true,
      });
    const unknown = await this.users.unknownIds(dto.userIds!);
    if (unknown.length > 0)
      throw new BadInputException(
        'bookmark.share-invalid',
        `unknown user ids: ${unknown.join(', ')}`,
      );
    const newlyShared = dto.userIds!.filter((id) => !bookmark.sharedWith.includes(id));
    const sharedWith = [...new Set([...bookmark.sharedWith, ...dto.userIds!])];
    await this.notifications.notify(newlyShared, 'bookmark.shared', {
      bookmarkId: bookmark.id,
      name: bookmark.name,
      containerId: container.id,
      sharedBy: user.username,
    });
    const visibility = bookmark.visibility === 'everyone' ? 'everyone' : 'users';
    return this.change(user, bookmark, container, { visibility, sharedWith }, 'bookmark.share', {
      userIds: dto.userIds,
    });
  }

  async unshare(user: CurrentUser, id: string): Promise<BookmarkDto> {
    const { bookmark, container } = await this.access.ownedBookmark(user, id);
    return this.change(
      user,
      bookmark,
      container,
      { visibility: 'private', sharedWith: [] },
      'bookmark.unshare',
    );
  }

  /** Refused while branches were cloned from it; otherwise releases its hold and forgets it (the point stays). */
  async delete(user: CurrentUser, id: string): Promise<void> {
    const { bookmark, container } = await this.access.ownedBookmark(user, id);
    await this.remove(bookmark, container, user.id, 'bookmark.delete');
  }

  /** Releases the bookmark's hold and forgets it (for its owner, or the expiry sweep); 409 naming what depends on it. */
  async remove(
    bookmark: Bookmark,
    container: Container,
    actorId: string | null,
    action: string,
  ): Promise<void> {
    const dependents = await this.branches.findBy({ originPointId: bookmark.pointId });
    if (dependents.length > 0) {
      const owners = await this.containers.findBy({ id: In(dependents.map((d) => d.containerId)) });
      const names = dependents.map(
        (d) =>
          `branch "${d.name}" of container "${owners.find((c) => c.id === d.containerId)?.name ?? d.containerId}"`,
      );
      throw new ConflictException(
        'bookmark.has-dependents',
        `bookmark "${bookmark.name}" is the origin of ${names.join(', ')}`,
      );
    }
    const agent = await this.agents.forHostOf(container);
    await agent.release(bookmark.id, {
      containerId: container.id,
      branchId: bookmark.branchId,
      pointId: bookmark.pointId,
    });
    await this.bookmarks.delete(bookmark.id);
    await this.timeline.setBookmark(bookmark.pointId, null);
    await this.audit.record(actorId, action, 'bookmark', bookmark.id, { name: bookmark.name });
    await this.events.timelineChanged(container.id, bookmark.branchId);
  }

  private async change(
    user: CurrentUser,
    bookmark: Bookmark,
    container: Container,
    changes: Partial<Bookmark>,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<BookmarkDto> {
    // A PATCH may change nothing (e.g. unprotect what is not protected): no empty UPDATE.
    if (Object.keys(changes).length > 0) await this.bookmarks.update(bookmark.id, changes);
    Object.assign(bookmark, changes);
    await this.audit.record(user.id, action, 'bookmark', bookmark.id, details);
    await this.events.timelineChanged(container.id, bookmark.branchId);
    this.catalogChanges.changed({ containerId: container.id });
    return (await this.toDtos(user, [bookmark]))[0]!;
  }

  private async toDtos(user: CurrentUser, bookmarks: Bookmark[]): Promise<BookmarkDto[]> {
    const containers = new Map(
      (
        await this.containers.findBy({ id: In([...new Set(bookmarks.map((b) => b.containerId))]) })
      ).map((c) => [c.id, c]),
    );
    const names = await this.users.usernames([...new Set(bookmarks.map((b) => b.creatorId))]);
    const points = new Map(
      (await this.timeline.findMany(bookmarks.map((b) => b.pointId))).map((p) => [p.id, p]),
    );
    return bookmarks.map((b) => {
      const container = containers.get(b.containerId);
      const mine = container ? isOwner(user, container) : false;
      return {
        id: b.id,
        name: b.name,
        description: b.description,
        tags: b.tags,
        bugRef: b.bugRef,
        bugUrl: bugUrl(b.bugRef, this.config.bugUrlPattern),
        creatorId: b.creatorId,
        creator: names.get(b.creatorId) ?? '(deleted user)',
        visibility: b.visibility,
        // Whom a bookmark is shared with is the owners' business.
        sharedWith: mine ? b.sharedWith : [],
        ...expiryStateOf(b),
        createdAt: b.createdAt,
        containerId: b.containerId,
        containerName: container?.name ?? '',
        templateId: container?.templateId ?? '',
        templateVersion: points.get(b.pointId)?.templateVersion ?? '',
        branchId: b.branchId,
        pointId: b.pointId,
        mine,
      };
    });
  }
}
