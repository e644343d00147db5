import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Like, QueryFailedError, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Role } from '../common/current-user.js';
import { AppConfig, type SsoConfig } from '../config/app-config.js';
import { User } from '../database/entities/user.entity.js';
import { SsoDisabledException } from './sso.exception.js';
import { freeUsername, usernameBase } from './sso-username.js';

/** What the provider says about the user: the ID token's claims with the user info's added. */
export type SsoClaims = Record<string, unknown> & { sub: string };

const UNIQUE_VIOLATION = '23505';

/**
 * The accounts of users who sign in with single sign-on: one per identity at the provider
 * (issuer + subject), never matched to a local account by name. Such accounts have no
 * password: their passwordHash is empty, which password login treats as "no password".
 */
@Injectable()
export class SsoAccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  private get sso(): SsoConfig {
    if (!this.config.sso) throw new SsoDisabledException();
    return this.config.sso;
  }

  /** The user of this identity, created on first sign-in; the role follows the admin group. */
  async signIn(issuer: string, claims: SsoClaims): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      const user = await this.users.findOneBy({ oidcIssuer: issuer, oidcSubject: claims.sub });
      try {
        return user ? await this.followGroups(user, claims) : await this.create(issuer, claims);
      } catch (error) {
        // Another sign-in took the same username or created this identity at the same moment.
        if (attempt < 5 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  private async create(issuer: string, claims: SsoClaims): Promise<User> {
    const base = usernameBase(this.usernameClaim(claims));
    const taken = await this.users.find({
      select: { username: true },
      where: [{ username: base }, { username: Like(`${base.replace(/[_%\\]/g, '\\$&')}-%`) }],
    });
    const role = roleOf(claims, this.sso, this.sso.defaultRole);
    const user = await this.users.save(
      this.users.create({
        id: randomUUID(),
        username: freeUsername(base, new Set(taken.map((found) => found.username))),
        role,
        passwordHash: '',
        disabledAt: null,
        oidcIssuer: issuer,
        oidcSubject: claims.sub,
      }),
    );
    await this.audit.record(null, 'user.create', 'user', user.id, {
      username: user.username,
      role,
      via: 'sso',
    });
    return user;
  }

  private async followGroups(user: User, claims: SsoClaims): Promise<User> {
    const role = roleOf(claims, this.sso, user.role);
    if (role === user.role) return user;
    await this.users.update(user.id, { role });
    await this.audit.record(null, 'user.role.change', 'user', user.id, {
      from: user.role,
      to: role,
      via: 'sso',
    });
    return { ...user, role };
  }

  /** The configured claim, else the e-mail address, else the subject. */
  private usernameClaim(claims: SsoClaims): string {
    for (const value of [claims[this.sso.usernameClaim], claims['email']])
      if (typeof value === 'string' && value.trim() !== '') return value;
    return claims.sub;
  }
}

/** With an admin group: admin for its members, the default role for others; else `current`. */
export function roleOf(
  claims: SsoClaims,
  sso: Pick<SsoConfig, 'adminGroup' | 'groupsClaim' | 'defaultRole'>,
  current: Role,
): Role {
  if (sso.adminGroup === null) return current;
  const groups = claims[sso.groupsClaim];
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : [];
  return list.includes(sso.adminGroup) ? 'admin' : sso.defaultRole;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}
