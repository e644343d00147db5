import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import { SessionsService } from '../auth/sessions.service.js';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { ContainersService } from '../containers/containers.service.js';
import type { Container } from '../database/entities/container.entity.js';
import type { User } from '../database/entities/user.entity.js';
import type { UserDto } from '../users/dto/user.dto.js';
import { toUserDto, UsersService } from '../users/users.service.js';
import type { DeletedUserDto, DeleteUserQueryDto } from './accounts.dto.js';

/**
 * What admins do to other people's accounts: reset a password, disable, enable, delete. Each
 * ends the user's sessions, API tokens and sockets where it takes access away.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly containers: ContainersService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
  ) {}

  /** A new password set by an admin; the user's sessions end (they sign in with it). */
  async resetPassword(actor: CurrentUser, id: string, password: string): Promise<void> {
    const user = await this.user(id);
    await this.users.setPassword(user, password);
    await this.sessions.endAll(user.id);
    await this.audit.record(actor.id, 'user.password.reset', 'user', user.id);
  }

  /**
   * The user can no longer sign in; sessions, API tokens and open sockets end at once, and the
   * database passwords of their containers change (they knew them).
   */
  async disable(actor: CurrentUser, id: string): Promise<UserDto> {
    const user = await this.othersAccount(actor, id);
    const disabled = await this.users.setDisabled(user, true);
    await this.endAccess(user);
    await this.containers.rotateOwnedBy(actor, user.id);
    await this.audit.record(actor.id, 'user.disable', 'user', user.id);
    return toUserDto(disabled);
  }

  async enable(actor: CurrentUser, id: string): Promise<UserDto> {
    const enabled = await this.users.setDisabled(await this.user(id), false);
    await this.audit.record(actor.id, 'user.enable', 'user', id);
    return toUserDto(enabled);
  }

  /**
   * Deletes the account. Its containers go to `to` (transfer) or, with delete, those it owns
   * alone are deleted and co-owned ones stay with their other owners. Refused (nothing changes)
   * while a container to delete is the origin of someone else's branch.
   */
  async delete(actor: CurrentUser, id: string, query: DeleteUserQueryDto): Promise<DeletedUserDto> {
    const user = await this.othersAccount(actor, id);
    const owned = await this.containers.ownedBy(user.id);
    const successor = await this.successor(user, owned, query);
    const alone = query.containers === 'delete' ? owned.filter((c) => c.ownerIds.length === 1) : [];
    for (const container of alone) await this.containers.refuseIfOrigin(container);

    await this.users.setDisabled(user, true);
    await this.endAccess(user);
    const kept = owned.filter((c) => !alone.includes(c));
    for (const container of kept)
      await this.containers.replaceOwner(actor, container, user.id, successor?.id ?? null);
    const deletions = [];
    for (const container of alone) {
      const { jobId } = await this.containers.startDelete(container, actor.id, 'container.delete');
      deletions.push({ containerId: container.id, jobId });
    }
    await this.handOverRecords(user.id, successor?.id ?? actor.id);
    await this.users.remove(user);
    await this.audit.record(actor.id, 'user.delete', 'user', user.id, {
      username: user.username,
      containers: query.containers ?? null,
      successorId: successor?.id ?? null,
    });
    return { keptContainerIds: kept.map((c) => c.id), deletions };
  }

  /** Who receives the containers; 400 when the user owns some and the request does not say. */
  private async successor(
    user: User,
    owned: Container[],
    query: DeleteUserQueryDto,
  ): Promise<User | null> {
    if (query.containers === 'transfer') {
      const to = query.to ? await this.users.findById(query.to) : null;
      if (!to || to.id === user.id || to.disabledAt)
        throw new BadInputException(
          'user.handover-invalid',
          'containers=transfer needs `to`: the id of another, enabled user',
        );
      return to;
    }
    if (owned.length > 0 && query.containers !== 'delete')
      throw new BadInputException(
        'user.handover-invalid',
        `${user.username} owns ${owned.length} container(s): add containers=transfer&to=<user id> or containers=delete`,
      );
    return null;
  }

  /**
   * What else names the user: bookmarks and branches they created and templates they made go to
   * the successor (else the acting admin); their shares, webhooks and deliveries go.
   */
  private async handOverRecords(userId: string, heirId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const run = (sql: string, parameters: unknown[]) => manager.query(sql, parameters);
      await run(`UPDATE "bookmark" SET "creatorId" = $2 WHERE "creatorId" = $1`, [userId, heirId]);
      await run(
        `UPDATE "bookmark" SET "sharedWith" = array_remove("sharedWith", $1::uuid) WHERE $1::uuid = ANY("sharedWith")`,
        [userId],
      );
      await run(`UPDATE "branch" SET "createdById" = $2 WHERE "createdById" = $1`, [
        userId,
        heirId,
      ]);
      await run(`UPDATE "template" SET "createdById" = $2 WHERE "createdById" = $1`, [
        userId,
        heirId,
      ]);
      await run(
        `DELETE FROM "webhook_delivery" WHERE "webhookId" IN (SELECT id FROM "webhook" WHERE "userId" = $1)`,
        [userId],
      );
      await run(`DELETE FROM "webhook" WHERE "userId" = $1`, [userId]);
    });
  }

  /** Every way the user is signed in ends: sessions (and their sockets) and API tokens. */
  private async endAccess(user: User): Promise<void> {
    await this.sessions.endAll(user.id);
    await this.apiTokens.revokeAll(user.id);
  }

  private async user(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException('user', id);
    return user;
  }

  /** Admins do not disable or delete themselves (another admin must), so one admin always stays. */
  private async othersAccount(actor: CurrentUser, id: string): Promise<User> {
    if (actor.id === id)
      throw new ConflictException('user.self', 'you cannot disable or delete your own account');
    return this.user(id);
  }
}
