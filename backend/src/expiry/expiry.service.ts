import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ExpiryKind, ExpiryWarning } from '@branchpoint/contracts';
import {
  In,
  IsNull,
  LessThanOrEqual,
  type FindOptionsWhere,
  type ObjectLiteral,
  type Repository,
} from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { BookmarksService } from '../bookmarks/bookmarks.service.js';
import { BranchesService } from '../branches/branches.service.js';
import { ConflictException } from '../common/app.exception.js';
import { ContainersService } from '../containers/containers.service.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import { ExpirySettingsService } from '../settings/expiry-settings.service.js';
import { NotificationsService } from '../webhooks/notifications.service.js';

/** The columns every object that can expire has. */
interface Expirable extends ObjectLiteral {
  id: string;
  name: string;
  expiresAt: Date | null;
  expiryBlockedReason: string | null;
}

/** How the sweep finds and deletes one kind of object. */
interface ExpiryTarget<T extends Expirable> {
  kind: ExpiryKind;
  repository: Repository<T>;
  /** The objects the sweep looks at (states it may delete from). */
  where: FindOptionsWhere<T>;
  containerOf(item: T): Promise<Container | null>;
  /** The normal delete path; a ConflictException says what keeps the object. */
  delete(item: T, container: Container): Promise<unknown>;
}

/**
 * The expiry sweep: warns the owners once, the policy's warning lead ahead, then deletes expired
 * bookmarks, branches and containers through their normal delete paths. What those refuse
 * (something depends on it, the active branch) or a locked container keeps is reported instead:
 * `expiryBlockedReason` on the object and one `expiry.blocked` notification. Protected objects
 * are left alone. Runs as a scheduled job (ExpiryQueue).
 */
@Injectable()
export class ExpiryService {
  private readonly logger = new Logger(ExpiryService.name);
  private readonly targets: readonly ExpiryTarget<Expirable>[];

  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) branches: Repository<Branch>,
    @InjectRepository(Bookmark) bookmarks: Repository<Bookmark>,
    containerService: ContainersService,
    branchService: BranchesService,
    bookmarkService: BookmarksService,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly settings: ExpirySettingsService,
  ) {
    const containerById = (item: { containerId: string }) =>
      this.containers.findOneBy({ id: item.containerId });
    // Bookmarks first: a branch or container is kept while it holds bookmarks.
    const targets: [ExpiryTarget<Bookmark>, ExpiryTarget<Branch>, ExpiryTarget<Container>] = [
      {
        kind: 'bookmark',
        repository: bookmarks,
        where: {},
        containerOf: containerById,
        delete: (bookmark, container) =>
          bookmarkService.remove(bookmark, container, null, 'bookmark.expire'),
      },
      {
        kind: 'branch',
        repository: branches,
        where: { state: In(['ready', 'failed']) },
        containerOf: containerById,
        // The job runs as the first owner, so its history shows whose branch it was.
        delete: (branch, container) =>
          branchService.startDelete(branch, container, container.ownerIds[0]!, 'branch.expire'),
      },
      {
        kind: 'container',
        repository: this.containers,
        where: { state: In(['ready', 'failed']) },
        containerOf: async (container) => container,
        delete: (container) =>
          containerService.startDelete(container, container.ownerIds[0]!, 'container.expire'),
      },
    ];
    this.targets = targets as unknown as ExpiryTarget<Expirable>[];
  }

  /** One round as of `now`: warnings first, then deletions. */
  async sweep(now = new Date()): Promise<void> {
    const horizon = new Date(now.getTime() + (await this.settings.warningLeadMs()));
    for (const target of this.targets) await this.warn(target, horizon, now);
    for (const target of this.targets) await this.expire(target, now);
  }

  private async warn<T extends Expirable>(
    target: ExpiryTarget<T>,
    horizon: Date,
    now: Date,
  ): Promise<void> {
    for (const item of await this.due(target, horizon, { expiryWarnedAt: IsNull() })) {
      const container = await target.containerOf(item);
      if (!container || container.state === 'deleting') continue;
      const warning = this.describe(target.kind, item, container);
      this.events.expiryWarning(warning, container.ownerIds);
      await this.notifications.notify(container.ownerIds, 'expiry.soon', warning);
      await target.repository.update(item.id, { expiryWarnedAt: now } as never);
      await this.audit.record(null, `${target.kind}.expiry-warning`, target.kind, item.id, {
        expiresAt: item.expiresAt,
      });
    }
  }

  private async expire<T extends Expirable>(target: ExpiryTarget<T>, now: Date): Promise<void> {
    for (const item of await this.due(target, now)) {
      const container = await target.containerOf(item);
      if (!container || container.state === 'deleting') continue;
      try {
        if (container.lockedById)
          throw new ConflictException(
            'expiry.locked',
            `container "${container.name}" is locked; it expires once unlocked`,
          );
        await target.delete(item, container);
        const { kind, id, name, containerId } = this.describe(target.kind, item, container);
        await this.notifications.notify(container.ownerIds, 'expiry.expired', {
          kind,
          id,
          name,
          containerId,
        });
      } catch (error) {
        if (error instanceof ConflictException)
          await this.block(target, item, container, error.message);
        else
          this.logger.warn(
            `expired ${target.kind} ${item.id} kept: ${(error as Error).message}; retried next round`,
          );
      }
    }
  }

  /** Records why an expired object stays; its owners hear of it once. */
  private async block<T extends Expirable>(
    target: ExpiryTarget<T>,
    item: T,
    container: Container,
    reason: string,
  ): Promise<void> {
    if (item.expiryBlockedReason === reason) return;
    await target.repository.update(item.id, { expiryBlockedReason: reason } as never);
    await this.events.containerChanged(container.id);
    if (item.expiryBlockedReason !== null) return;
    await this.notifications.notify(container.ownerIds, 'expiry.blocked', {
      ...this.describe(target.kind, item, container),
      reason,
    });
    await this.audit.record(null, `${target.kind}.expiry-blocked`, target.kind, item.id, {
      reason,
    });
  }

  /** Unprotected objects of the target expiring by `until`. */
  private due<T extends Expirable>(
    target: ExpiryTarget<T>,
    until: Date,
    extra: Record<string, unknown> = {},
  ): Promise<T[]> {
    return target.repository.findBy({
      ...target.where,
      ...extra,
      expiresAt: LessThanOrEqual(until),
      protected: false,
    } as FindOptionsWhere<T>);
  }

  private describe(kind: ExpiryKind, item: Expirable, container: Container): ExpiryWarning {
    return {
      kind,
      id: item.id,
      name: item.name,
      containerId: container.id,
      expiresAt: item.expiresAt!.toISOString(),
    };
  }
}
