import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { LessThan, Not, type Repository } from 'typeorm';
import { UnauthorizedException } from '../common/app.exception.js';
import { Listeners } from '../common/listeners.js';
import { AppConfig } from '../config/app-config.js';
import { Session } from '../database/entities/session.entity.js';
import type { User } from '../database/entities/user.entity.js';
import { signAccessToken } from './access-token.js';
import type { SessionTokensDto } from './dto/auth.dto.js';
import { sha256 } from './hash.js';

const REFRESH_TOKEN_PREFIX = 'bpr_';
/** Two tabs refreshing with the same token at once is no theft: the loser retries with the winner's. */
const CONCURRENT_REFRESH_MS = 3_000;

/** Sessions that ended: `sessionIds` of one user, or all of the user's when absent. */
export interface SessionsEnded {
  userId: string;
  sessionIds?: string[];
}

/**
 * Sessions of signed-in users. Access tokens are short and name their session; a refresh
 * token (rotated on each use) renews them. Ending a session refuses its access tokens at once.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  /** Told when sessions end, e.g. to close their sockets. */
  readonly ended = new Listeners<SessionsEnded>(
    this.logger,
    (event) => `after sessions of ${event.userId} ended`,
  );

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly config: AppConfig,
  ) {}

  /** A new session for a user who just proved who they are (password or single sign-on). */
  async start(user: User, clientAddress: string): Promise<SessionTokensDto> {
    // A user's ended-by-expiry sessions go when they next sign in: the table stays small.
    await this.sessions.delete({ userId: user.id, expiresAt: LessThan(new Date()) });
    const refreshToken = newRefreshToken();
    const session = await this.sessions.save(
      this.sessions.create({
        id: randomUUID(),
        userId: user.id,
        refreshHash: sha256(refreshToken),
        previousRefreshHash: null,
        clientAddress: clientAddress.slice(0, 64),
        refreshedAt: new Date(),
        expiresAt: this.refreshExpiry(),
      }),
    );
    return this.tokens(session, refreshToken);
  }

  /** New tokens for a refresh token, which is used up; a used-up token seen again ends its session. */
  async refresh(refreshToken: string): Promise<{ userId: string; tokens: SessionTokensDto }> {
    const hash = sha256(refreshToken);
    const session = await this.sessions.findOneBy({ refreshHash: hash });
    if (!session) {
      await this.endIfReplayed(hash);
      throw invalidRefresh();
    }
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.end(session.userId, [session.id]);
      throw invalidRefresh();
    }
    const next = newRefreshToken();
    const changes = {
      refreshHash: sha256(next),
      previousRefreshHash: hash,
      refreshedAt: new Date(),
      expiresAt: this.refreshExpiry(),
    };
    // Compare-and-set: of two refreshes with the same token, one wins.
    const updated = await this.sessions.update({ id: session.id, refreshHash: hash }, changes);
    if (!updated.affected) throw invalidRefresh();
    return { userId: session.userId, tokens: this.tokens({ ...session, ...changes }, next) };
  }

  /** The user of an active session, or null. */
  async userOf(sessionId: string): Promise<string | null> {
    return (await this.sessions.findOneBy({ id: sessionId }))?.userId ?? null;
  }

  async end(userId: string, sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const id of sessionIds) await this.sessions.delete({ id, userId });
    this.ended.notify({ userId, sessionIds });
  }

  /** Ends every session of the user, or every one but `keepSessionId` (after a password change). */
  async endAll(userId: string, keepSessionId?: string): Promise<void> {
    if (keepSessionId) {
      const others = await this.sessions.findBy({ userId, id: Not(keepSessionId) });
      await this.end(
        userId,
        others.map((session) => session.id),
      );
      return;
    }
    await this.sessions.delete({ userId });
    this.ended.notify({ userId });
  }

  private async endIfReplayed(hash: string): Promise<void> {
    const replayed = await this.sessions.findOneBy({ previousRefreshHash: hash });
    if (!replayed || Date.now() - replayed.refreshedAt.getTime() < CONCURRENT_REFRESH_MS) return;
    this.logger.warn(
      `a used refresh token of session ${replayed.id} was presented again: the session ends`,
    );
    await this.end(replayed.userId, [replayed.id]);
  }

  private tokens(session: Session, refreshToken: string): SessionTokensDto {
    const ttl = this.config.accessTokenTtlSeconds;
    return {
      accessToken: signAccessToken(session.userId, session.id, this.config.jwtSecret, ttl),
      expiresIn: ttl,
      refreshToken,
      refreshExpiresAt: session.expiresAt,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000);
  }
}

function newRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function invalidRefresh(): UnauthorizedException {
  return new UnauthorizedException(
    'auth.refresh-invalid',
    'the refresh token is not valid (expired, used, or its session ended); sign in again',
  );
}
