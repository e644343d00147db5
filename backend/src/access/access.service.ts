import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type Repository } from 'typeorm';
import {
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';

/**
 * Who may see and change what. Owners (and admins) own a container; users a bookmark of it is
 * shared with view it. Anyone else gets 404, so nobody learns a private object exists.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
  ) {}

  /** A container the user owns (or any, for admins). */
  async ownedContainer(user: CurrentUser, id: string): Promise<Container> {
    const container = await this.containers.findOneBy({ id });
    if (!container) throw new NotFoundException('container', id);
    if (isOwner(user, container)) return container;
    if (await this.isViewer(user, container.id))
      throw new ForbiddenException(
        'access.owners-only',
        `only owners of container ${id} may do this`,
      );
    throw new NotFoundException('container', id);
  }

  /** A container the user owns or views (a bookmark of it is shared with them); else 404. */
  async visibleContainer(
    user: CurrentUser,
    id: string,
  ): Promise<{ container: Container; owner: boolean }> {
    const container = await this.containers.findOneBy({ id });
    if (!container) throw new NotFoundException('container', id);
    if (isOwner(user, container)) return { container, owner: true };
    if (await this.isViewer(user, id)) return { container, owner: false };
    throw new NotFoundException('container', id);
  }

  /** An owned container not locked by someone else, whatever its state. */
  async unlockedContainer(user: CurrentUser, id: string): Promise<Container> {
    const container = await this.ownedContainer(user, id);
    assertNotLockedByOther(user, container);
    return container;
  }

  /** An owned container that the user may operate on: not locked by someone else, and ready. */
  async operableContainer(user: CurrentUser, id: string): Promise<Container> {
    const container = await this.unlockedContainer(user, id);
    if (container.state !== 'ready')
      throw new ConflictException('container.busy', `container ${id} is ${container.state}`);
    return container;
  }

  /** A branch of a container the user owns. */
  async ownedBranch(
    user: CurrentUser,
    id: string,
  ): Promise<{ branch: Branch; container: Container }> {
    const branch = await this.branches.findOneBy({ id });
    if (!branch) throw new NotFoundException('branch', id);
    const container = await this.ownedContainer(user, branch.containerId).catch(() => {
      throw new NotFoundException('branch', id);
    });
    return { branch, container };
  }

  /** A branch of an owned container the user may operate on, whatever the branch's own state. */
  async operableContainerBranch(
    user: CurrentUser,
    id: string,
  ): Promise<{ branch: Branch; container: Container }> {
    const found = await this.ownedBranch(user, id);
    assertNotLockedByOther(user, found.container);
    if (found.container.state !== 'ready')
      throw new ConflictException(
        'container.busy',
        `container ${found.container.id} is ${found.container.state}`,
      );
    return found;
  }

  /** A ready branch of an owned container the user may operate on. */
  async operableBranch(
    user: CurrentUser,
    id: string,
  ): Promise<{ branch: Branch; container: Container }> {
    const found = await this.operableContainerBranch(user, id);
    if (found.branch.state !== 'ready')
      throw new ConflictException(
        'branch.busy',
        `branch "${found.branch.name}" is ${found.branch.state}`,
      );
    return found;
  }

  /** A bookmark the user may see: in an owned container, or shared with them or everyone. */
  async visibleBookmark(
    user: CurrentUser,
    id: string,
  ): Promise<{ bookmark: Bookmark; container: Container; owner: boolean }> {
    const bookmark = await this.bookmarks.findOneBy({ id });
    const container = bookmark
      ? await this.containers.findOneBy({ id: bookmark.containerId })
      : null;
    if (!bookmark || !container) throw new NotFoundException('bookmark', id);
    const owner = isOwner(user, container);
    if (!owner && !isSharedWith(user, bookmark)) throw new NotFoundException('bookmark', id);
    return { bookmark, container, owner };
  }

  /** A bookmark of a container the user owns; others who can see it get 403. */
  async ownedBookmark(
    user: CurrentUser,
    id: string,
  ): Promise<{ bookmark: Bookmark; container: Container }> {
    const found = await this.visibleBookmark(user, id);
    if (!found.owner)
      throw new ForbiddenException(
        'access.owners-only',
        `only owners of the bookmark's container may change bookmark ${id}`,
      );
    return found;
  }

  /** Whether a bookmark of the container is shared with the user (or everyone). */
  async isViewer(user: CurrentUser, containerId: string): Promise<boolean> {
    return this.bookmarks
      .createQueryBuilder('b')
      .where('b.containerId = :containerId', { containerId })
      .andWhere(
        new Brackets((q) =>
          q
            .where("b.visibility = 'everyone'")
            .orWhere(':userId = ANY(b.sharedWith)', { userId: user.id }),
        ),
      )
      .getExists();
  }

  /**
   * Who should hear about changes to a container: owners, users bookmarks are shared with, and
   * whether everyone should. One query (it runs for every job event), reading only the
   * container's bookmarks that are shared.
   */
  async audience(containerId: string): Promise<Audience> {
    const row = await this.containers
      .createQueryBuilder('c')
      .select('c."ownerIds"::text[]', 'ownerIds')
      .addSelect(
        `ARRAY(SELECT DISTINCT unnest(b."sharedWith")::text FROM bookmark b
                WHERE b."containerId" = c.id AND cardinality(b."sharedWith") > 0)`,
        'sharedWith',
      )
      .addSelect(
        `EXISTS (SELECT 1 FROM bookmark b WHERE b."containerId" = c.id AND b.visibility = 'everyone')`,
        'everyone',
      )
      .where('c.id = :containerId', { containerId })
      .getRawOne<{ ownerIds: string[]; sharedWith: string[]; everyone: boolean }>();
    if (!row) return { userIds: [], everyone: false };
    return { userIds: [...new Set([...row.ownerIds, ...row.sharedWith])], everyone: row.everyone };
  }
}

/** Who hears of a container's changes: these users, or everyone (a bookmark shared with all). */
export interface Audience {
  userIds: string[];
  everyone: boolean;
}

/** The container's active branch; 409 while it has none (being created, or its creation failed). */
export function activeBranchOf(container: Container): string {
  if (!container.activeBranchId)
    throw new ConflictException('container.no-active-branch', 'the container has no active branch');
  return container.activeBranchId;
}

export function isOwner(user: CurrentUser, container: Container): boolean {
  return isAdmin(user) || container.ownerIds.includes(user.id);
}

export function isSharedWith(user: CurrentUser, bookmark: Bookmark): boolean {
  return (
    bookmark.visibility === 'everyone' ||
    (bookmark.visibility === 'users' && bookmark.sharedWith.includes(user.id))
  );
}

function assertNotLockedByOther(user: CurrentUser, container: Container): void {
  if (container.lockedById && container.lockedById !== user.id) {
    throw new ConflictException(
      'container.locked',
      `container ${container.id} is locked by another user; only the locker may operate on it`,
    );
  }
}
