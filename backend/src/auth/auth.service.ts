import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { AuditService } from '../audit/audit.service.js';
import {
  ForbiddenException,
  TooManyRequestsException,
  UnauthorizedException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { AppConfig } from '../config/app-config.js';
import type { User } from '../database/entities/user.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { hashPassword, UsersService } from '../users/users.service.js';
import { verifyAccessToken } from './access-token.js';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import type { SessionTokensDto } from './dto/auth.dto.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionsService } from './sessions.service.js';

const MINUTE = 60_000;

@Injectable()
export class AuthService {
  /** A username from one address: the guesser slows down, the user elsewhere does not. */
  private readonly perUserAndAddress: LoginThrottle;
  /** One address trying many usernames; wider, as many people may share an address. */
  private readonly perAddress: LoginThrottle;
  /** Verified for unknown usernames, so that they take as long to refuse as wrong passwords. */
  private readonly unknownUserHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    redis: QueueRedis,
  ) {
    const namespace = `${config.queuePrefix}:login`;
    this.perUserAndAddress = new LoginThrottle(redis, `${namespace}:user-address`, {
      freeAttempts: 5,
      firstDelayMs: 1_000,
      maxDelayMs: 5 * MINUTE,
      forgetAfterMs: 60 * MINUTE,
    });
    this.perAddress = new LoginThrottle(redis, `${namespace}:address`, {
      freeAttempts: 50,
      firstDelayMs: 1_000,
      maxDelayMs: 15 * MINUTE,
      forgetAfterMs: 60 * MINUTE,
    });
    this.unknownUserHash = hashPassword('no-such-user: the same work as a real check');
  }

  /**
   * Checks the password and starts a session. Each attempt is counted before it is checked;
   * after a few failures each further attempt must wait longer (429 with Retry-After).
   */
  async login(
    username: string,
    password: string,
    clientAddress: string,
  ): Promise<SessionTokensDto> {
    const passed = await this.throttle(username, clientAddress);
    const user = await this.users.findByUsername(username);
    if (!(await this.passwordMatches(user, password)) || !user)
      throw new UnauthorizedException('auth.login-failed', 'wrong username or password');
    await passed();
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabledAt)
      throw new ForbiddenException('auth.account-disabled', 'this account is disabled');
    await this.audit.record(user.id, 'auth.login', 'user', user.id);
    return this.sessions.start(user, clientAddress);
  }

  /** A session for a user signed in another way (single sign-on); refused when disabled. */
  async startSession(user: User, clientAddress: string): Promise<SessionTokensDto> {
    if (user.disabledAt)
      throw new ForbiddenException('auth.account-disabled', 'this account is disabled');
    await this.audit.record(user.id, 'auth.login', 'user', user.id);
    return this.sessions.start(user, clientAddress);
  }

  async refresh(refreshToken: string): Promise<SessionTokensDto> {
    const { userId, tokens } = await this.sessions.refresh(refreshToken);
    const user = await this.users.findById(userId);
    if (!user || user.disabledAt) {
      await this.sessions.endAll(userId);
      throw new UnauthorizedException('auth.refresh-invalid', 'the account no longer signs in');
    }
    return tokens;
  }

  /** Ends the caller's session (an API token is revoked with DELETE /tokens/:id instead). */
  async logout(user: CurrentUser): Promise<void> {
    if (!user.sessionId) return;
    await this.sessions.end(user.id, [user.sessionId]);
    await this.audit.record(user.id, 'auth.logout', 'user', user.id);
  }

  /**
   * Needs the current password, guessed no faster than at login (a stolen access token must
   * not become a way to find the password); every other session of the user ends.
   */
  async changePassword(
    user: CurrentUser,
    currentPassword: string,
    newPassword: string,
    clientAddress: string,
  ): Promise<void> {
    const passed = await this.throttle(user.username, clientAddress);
    const found = await this.users.findById(user.id);
    if (!found || !(await this.passwordMatches(found, currentPassword)))
      throw new ForbiddenException(
        'auth.current-password-wrong',
        'the current password is not right',
      );
    await passed();
    await this.users.setPassword(found, newPassword);
    await this.sessions.endAll(user.id, user.sessionId);
    await this.audit.record(user.id, 'user.password.change', 'user', user.id);
  }

  /** The user behind a bearer token (access token or API token); null when it is not valid. */
  async authenticate(bearer: string): Promise<CurrentUser | null> {
    let userId: string | null;
    let sessionId: string | undefined;
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      userId = await this.apiTokens.userOf(bearer);
    } else {
      const claims = verifyAccessToken(bearer, this.config.jwtSecret);
      sessionId = claims?.sid;
      userId =
        claims && (await this.sessions.userOf(claims.sid)) === claims.sub ? claims.sub : null;
    }
    const user = userId ? await this.users.findById(userId) : null;
    if (!user || user.disabledAt) return null;
    return { id: user.id, username: user.username, role: user.role, sessionId };
  }

  /**
   * Reserves an attempt for the username from that address and for the address; 429 with
   * Retry-After while either must wait. The answer, called once the password was right,
   * forgets the user's failures there and gives the address its attempt back.
   */
  private async throttle(username: string, clientAddress: string): Promise<() => Promise<void>> {
    const userAndAddress = `${username}\n${clientAddress}`;
    const waits = await Promise.all([
      this.perUserAndAddress.reserve(userAndAddress),
      this.perAddress.reserve(clientAddress),
    ]);
    const waitSeconds = Math.ceil(Math.max(...waits) / 1000);
    if (waitSeconds > 0)
      throw new TooManyRequestsException(
        'auth.too-many-logins',
        `too many failed attempts; try again in ${waitSeconds} s`,
        waitSeconds,
      );
    return async () => {
      await Promise.all([
        this.perUserAndAddress.clear(userAndAddress),
        this.perAddress.release(clientAddress),
      ]);
    };
  }

  /** Always verifies a hash (a stand-in for unknown users and accounts without a password). */
  private async passwordMatches(user: User | null, password: string): Promise<boolean> {
    const hash = user?.passwordHash || (await this.unknownUserHash);
    const matches = await argon2.verify(hash, password).catch(() => false);
    return matches && Boolean(user?.passwordHash);
  }
}
