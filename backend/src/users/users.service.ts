import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import { In, IsNull, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { BadInputException, ConflictException } from '../common/app.exception.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { passwordProblem } from '../common/password-policy.js';
import { AppConfig } from '../config/app-config.js';
import { User } from '../database/entities/user.entity.js';
import type { CreateUserDto, UserDto } from './dto/user.dto.js';

export const ADMIN_USERNAME = 'admin';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin(this.config.adminPassword);
  }

  /** Creates a local account with an argon2id password hash. */
  async create(actorId: string | null, dto: CreateUserDto): Promise<UserDto> {
    checkPassword(dto.password, dto.username);
    if (await this.users.existsBy({ username: dto.username }))
      throw new ConflictException('user.taken', `username "${dto.username}" is taken`);
    const user = await this.users.save(
      this.users.create({
        id: randomUUID(),
        username: dto.username,
        role: dto.role,
        passwordHash: await hashPassword(dto.password),
        disabledAt: null,
      }),
    );
    await this.audit.record(actorId, 'user.create', 'user', user.id, {
      username: user.username,
      role: user.role,
    });
    return toUserDto(user);
  }

  /** Creates the `admin` account on first start. */
  async ensureAdmin(password: string): Promise<void> {
    if (await this.users.existsBy({ username: ADMIN_USERNAME })) return;
    await this.create(null, { username: ADMIN_USERNAME, password, role: 'admin' }).catch(
      async (error: unknown) => {
        // Another replica created it at the same moment.
        if (!(await this.users.existsBy({ username: ADMIN_USERNAME }))) throw error;
      },
    );
  }

  /** Sets a new password, held to the policy (400 naming what is wrong with it). */
  async setPassword(user: User, password: string): Promise<void> {
    checkPassword(password, user.username);
    await this.users.update(user.id, { passwordHash: await hashPassword(password) });
  }

  async setDisabled(user: User, disabled: boolean): Promise<User> {
    const disabledAt = disabled ? (user.disabledAt ?? new Date()) : null;
    await this.users.update(user.id, { disabledAt });
    return { ...user, disabledAt };
  }

  async remove(user: User): Promise<void> {
    await this.users.delete({ id: user.id });
  }

  /** Admins who can still sign in, so that the last one is not disabled or deleted. */
  activeAdminCount(): Promise<number> {
    return this.users.countBy({ role: 'admin', disabledAt: IsNull() });
  }

  /** A page of every user, by username. */
  async list(page: PageQueryDto): Promise<Page<UserDto>> {
    const found = await paginate(this.users.createQueryBuilder('u'), page, {
      column: 'username',
      kind: 'text',
      direction: 'ASC',
    });
    return found.map((users) => users.map(toUserDto));
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The ids among `ids` that are not users. */
  async unknownIds(ids: string[]): Promise<string[]> {
    const found = new Set((await this.users.findBy({ id: In(ids) })).map((user) => user.id));
    return ids.filter((id) => !found.has(id));
  }

  async usernames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map(
      (await this.users.findBy({ id: In(ids) })).map((user) => [user.id, user.username]),
    );
  }
}

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new BadInputException('user.password-weak', problem);
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    createdAt: user.createdAt,
    disabled: user.disabledAt !== null,
    sso: Boolean(user.oidcSubject),
  };
}
