import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { NotFoundException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { ApiToken } from '../database/entities/api-token.entity.js';
import {
  API_TOKEN_DAYS,
  type ApiTokenDto,
  type CreateApiTokenDto,
  type CreatedApiTokenDto,
} from './dto/auth.dto.js';
import { sha256 } from './hash.js';

export const API_TOKEN_PREFIX = 'bpt_';
/** lastUsedAt is written at most this often: a busy CI token does not write on every call. */
const LAST_USED_PRECISION_MS = 60_000;

/** Personal API tokens for CI and the CLI: they expire, record their last use and can be revoked. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly audit: AuditService,
  ) {}

  /** A new token; the answer is the only place the token itself appears. */
  async create(user: CurrentUser, dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const days = dto.expiresInDays ?? API_TOKEN_DAYS.default;
    const saved = await this.tokens.save(
      this.tokens.create({
        id: randomUUID(),
        userId: user.id,
        name: dto.name,
        tokenHash: sha256(token),
        lastUsedAt: null,
        expiresAt: new Date(Date.now() + days * 86_400_000),
      }),
    );
    await this.audit.record(user.id, 'token.create', 'api_token', saved.id, {
      name: dto.name,
      expiresAt: saved.expiresAt.toISOString(),
    });
    return { ...toTokenDto(saved), token };
  }

  /** The user id behind an unexpired token, noting its use; null for anything else. */
  async userOf(token: string): Promise<string | null> {
    const found = await this.tokens.findOneBy({ tokenHash: sha256(token) });
    if (!found || found.expiresAt.getTime() <= Date.now()) return null;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_PRECISION_MS)
      await this.tokens.update(found.id, { lastUsedAt: new Date() });
    return found.userId;
  }

  /** A page of the caller's tokens, oldest first. */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<ApiTokenDto>> {
    const query = this.tokens
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId: user.id });
    return (await paginate(query, page, { direction: 'ASC' })).map((tokens) =>
      tokens.map(toTokenDto),
    );
  }

  async revoke(user: CurrentUser, id: string): Promise<void> {
    const result = await this.tokens.delete({ id, userId: user.id });
    if (!result.affected) throw new NotFoundException('token', id);
    await this.audit.record(user.id, 'token.revoke', 'api_token', id);
  }

  /** Every token of a user goes (the user is deleted). */
  async revokeAll(userId: string): Promise<void> {
    await this.tokens.delete({ userId });
  }
}

function toTokenDto(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    expiresAt: token.expiresAt,
  };
}
