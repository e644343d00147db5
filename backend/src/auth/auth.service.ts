import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import {
  NotFoundException,
  TooManyRequestsException,
  UnauthorizedException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { AppConfig } from '../config/app-config.js';
import { ApiToken } from '../database/entities/api-token.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { UsersService } from '../users/users.service.js';
import { signAccessToken, verifyAccessToken } from './access-token.js';
import type { ApiTokenDto, CreatedApiTokenDto, LoginResponseDto } from './dto/auth.dto.js';
import { LoginLimiter } from './login-limiter.js';

const API_TOKEN_PREFIX = 'bpt_';

@Injectable()
export class AuthService {
  private readonly userLimiter: LoginLimiter;
  private readonly addressLimiter: LoginLimiter;

  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    redis: QueueRedis,
  ) {
    // Per username: slows guessing one password. Per address: wider, as many users may share one.
    const namespace = `${config.queuePrefix}:login-failures`;
    this.userLimiter = new LoginLimiter(redis, `${namespace}:user`, 5, 15 * 60_000);
    this.addressLimiter = new LoginLimiter(redis, `${namespace}:address`, 50, 15 * 60_000);
  }

  /** Checks the password; repeated failures for a username or address answer 429 for a while. */
  async login(
    username: string,
    password: string,
    clientAddress: string,
  ): Promise<LoginResponseDto> {
    const blocked = await Promise.all([
      this.userLimiter.isBlocked(username),
      this.addressLimiter.isBlocked(clientAddress),
    ]);
    if (blocked.includes(true))
      throw new TooManyRequestsException(
        'auth.too-many-logins',
        'too many failed logins; try again later',
      );
    const user = await this.users.findByUsername(username);
    if (!user || !(await argon2.verify(user.passwordHash, password))) {
      await Promise.all([
        this.userLimiter.recordFailure(username),
        this.addressLimiter.recordFailure(clientAddress),
      ]);
      throw new UnauthorizedException('auth.login-failed', 'wrong username or password');
    }
    await this.userLimiter.reset(username);
    await this.audit.record(user.id, 'auth.login', 'user', user.id);
    const ttl = this.config.accessTokenTtlSeconds;
    return { accessToken: signAccessToken(user.id, this.config.jwtSecret, ttl), expiresIn: ttl };
  }

  /** The user behind a bearer token (access token or API token); null when it is not valid. */
  async authenticate(bearer: string): Promise<CurrentUser | null> {
    let userId: string | null = null;
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      const token = await this.tokens.findOneBy({ tokenHash: sha256(bearer) });
      if (token) {
        userId = token.userId;
        await this.tokens.update(token.id, { lastUsedAt: new Date() });
      }
    } else {
      userId = verifyAccessToken(bearer, this.config.jwtSecret)?.sub ?? null;
    }
    const user = userId ? await this.users.findById(userId) : null;
    return user ? { id: user.id, username: user.username, role: user.role } : null;
  }

  /** A new API token; the answer is the only place the token itself appears. */
  async createApiToken(user: CurrentUser, name: string): Promise<CreatedApiTokenDto> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const saved = await this.tokens.save(
      this.tokens.create({
        id: randomUUID(),
        userId: user.id,
        name,
        tokenHash: sha256(token),
        lastUsedAt: null,
      }),
    );
    await this.audit.record(user.id, 'token.create', 'api_token', saved.id, { name });
    return { ...toTokenDto(saved), token };
  }

  async listApiTokens(user: CurrentUser): Promise<ApiTokenDto[]> {
    return (
      await this.tokens.find({ where: { userId: user.id }, order: { createdAt: 'ASC' } })
    ).map(toTokenDto);
  }

  async revokeApiToken(user: CurrentUser, id: string): Promise<void> {
    const result = await this.tokens.delete({ id, userId: user.id });
    if (!result.affected) throw new NotFoundException('token', id);
    await this.audit.record(user.id, 'token.revoke', 'api_token', id);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toTokenDto(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
  };
}
