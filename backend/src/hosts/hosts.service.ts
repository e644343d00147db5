import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { presentedFingerprint } from '../agents/agent-certificate.js';
import { AgentUnreachableException } from '../agents/agent.exception.js';
import { AgentsService } from '../agents/agents.service.js';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { Listeners } from '../common/listeners.js';
import { NAME_ORDER, paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { resealStored } from '../common/reseal-stored.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { Host } from '../database/entities/host.entity.js';
import { NotificationsService } from '../webhooks/notifications.service.js';
import type { CreateHostDto, HostDto, UpdateHostDto } from './dto/host.dto.js';

/**
 * How long a health check waits: a host cut off keeps a kept-alive connection that never
 * answers, and its containers must show as unavailable within a few polls.
 */
const HEALTH_TIMEOUT_MS = 10_000;
/**
 * Checks in a row a host that is up must fail before it counts as down: one slow answer of an
 * agent on a busy host is not a partition, and `down` refuses every operation on its containers.
 */
const MISSES_BEFORE_DOWN = 2;

@Injectable()
export class HostsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HostsService.name);
  private readonly periodic = new PeriodicTask('host poll', this.logger);
  /** Health checks failed in a row, per host that is still up (see MISSES_BEFORE_DOWN). */
  private readonly misses = new Map<string, number>();
  private readonly returnListeners = new Listeners<Host>(
    this.logger,
    (host) => `after host ${host.name} returned`,
  );

  constructor(
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    private readonly agents: AgentsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Seals stored agent tokens with the current key, then polls every host's health and
   * capacity; each replica polls, which is harmless.
   */
  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.hosts, 'token', this.secrets, this.logger);
    if (this.config.role === 'api') return;
    this.periodic.start(() => this.pollAll(), this.config.hostPollIntervalMs);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  /**
   * Registers an agent, pins its certificate (see `pin`) and checks it once, so the answer
   * already says whether it is up.
   */
  async create(actorId: string, dto: CreateHostDto): Promise<HostDto> {
    if (await this.hosts.existsBy({ name: dto.name }))
      throw new ConflictException('host.exists', `host "${dto.name}" already exists`);
    const certificateFingerprint = await this.pin(dto.url, dto.fingerprint);
    const token = this.secrets.seal(dto.token);
    const agentId = await this.agentIdAt({ url: dto.url, token, certificateFingerprint });
    await this.refuseRegistered(agentId, dto.url);
    const host = await this.hosts.save(
      this.hosts.create({
        id: randomUUID(),
        name: dto.name,
        url: dto.url,
        token,
        agentId,
        certificateFingerprint,
        status: 'unknown',
        capacity: null,
        lastError: null,
        checkedAt: null,
      }),
    );
    await this.audit.record(actorId, 'host.create', 'host', host.id, {
      name: host.name,
      url: host.url,
      certificateFingerprint,
    });
    return toHostDto(await this.poll(host, false));
  }

  /**
   * A new agent address or token (after a rotation on the host); checked at once, like create.
   * The pinned certificate stays unless a new `fingerprint` is given (or the host has none yet).
   */
  async update(actorId: string, id: string, dto: UpdateHostDto): Promise<HostDto> {
    const host = await this.get(id);
    const url = dto.url ?? host.url;
    const repin = dto.fingerprint !== undefined || host.certificateFingerprint === null;
    if (repin) host.certificateFingerprint = await this.pin(url, dto.fingerprint);
    host.url = url;
    if (dto.token !== undefined) host.token = this.secrets.seal(dto.token);
    // Another address may be another agent: never one that is another host already.
    const agentId = await this.agentIdAt(host);
    await this.refuseRegistered(agentId, url, host.id);
    if (agentId !== null) host.agentId = agentId;
    await this.hosts.save(host);
    await this.audit.record(actorId, 'host.update', 'host', host.id, {
      url: host.url,
      tokenChanged: dto.token !== undefined,
      ...(repin ? { certificateFingerprint: host.certificateFingerprint } : {}),
    });
    return toHostDto(await this.poll(host, false));
  }

  /** Marks the host as taking new containers or not (a drain, and its end). */
  async setDraining(actorId: string, id: string, draining: boolean): Promise<Host> {
    const host = await this.get(id);
    await this.hosts.update(id, { draining });
    await this.audit.record(actorId, draining ? 'host.drain' : 'host.drain-end', 'host', id, {
      name: host.name,
    });
    return { ...host, draining };
  }

  /** A page of every host, by name; other users than admins see no address, pin or error (`toHostDto`). */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<HostDto>> {
    const found = await paginate(this.hosts.createQueryBuilder('h'), page, NAME_ORDER);
    return found.map((hosts) => hosts.map((host) => toHostDto(host, isAdmin(user))));
  }

  /** The host with its agent token, for the services that call its agent. */
  async get(id: string): Promise<Host> {
    const host = await this.hosts.findOneBy({ id });
    if (!host) throw new NotFoundException('host', id);
    return host;
  }

  all(): Promise<Host[]> {
    return this.hosts.find();
  }

  /** The agent's own identity (see Host.agentId); null when it cannot be asked now. */
  private async agentIdAt(target: Pick<Host, 'url' | 'token' | 'certificateFingerprint'>) {
    try {
      return (await this.agents.client(target).capacity()).agentId ?? null;
    } catch {
      return null;
    }
  }

  /** 409 naming the host that has this agent already (other than `exceptId`). */
  private async refuseRegistered(
    agentId: string | null,
    url: string,
    exceptId?: string,
  ): Promise<void> {
    if (agentId === null) return;
    const other = await this.hosts.findOneBy({ agentId });
    if (other && other.id !== exceptId)
      throw new ConflictException(
        'host.agent-registered',
        `the agent at ${url} (agent id ${agentId}) is registered already as host "${other.name}" (${other.id}): one agent is one host`,
      );
  }

  /**
   * The certificate fingerprint to pin for the agent at `url`: the given one, which the agent
   * must present (400 otherwise; an agent that cannot be reached keeps it unchecked until it
   * answers), or else whatever it presents now — trust on first use.
   */
  private async pin(url: string, given: string | undefined): Promise<string> {
    const expected = given?.toUpperCase();
    let presented: string;
    try {
      presented = await presentedFingerprint(url);
    } catch (error) {
      if (expected !== undefined) return expected;
      throw error;
    }
    if (expected !== undefined && presented !== expected)
      throw new BadInputException(
        'host.certificate-changed',
        `the agent at ${url} presents a different certificate: expected ${expected}, got ${presented}`,
      );
    return presented;
  }

  /** At once: a host that does not answer must not hold up the others' verdicts. */
  private async pollAll(): Promise<void> {
    await Promise.all((await this.hosts.find()).map((host) => this.poll(host)));
  }

  /**
   * `listener` learns of every host that answers again after it was down: what happened on it
   * meanwhile (a job that gave up while its agent restarted) is read back then.
   */
  whenHostReturns(listener: (host: Host) => Promise<void>): void {
    this.returnListeners.add(listener);
  }

  /**
   * Remembers the agent's identity the first time it answers (a host registered while its agent
   * was away, or before agents had one). An agent that is another host already makes this host
   * `down` with an error naming that host: it was registered twice, and is not used as this one.
   */
  private async learnAgentId(host: Host, agentId: string | undefined): Promise<void> {
    if (agentId === undefined || host.agentId === agentId) return;
    const other = await this.hosts.findOneBy({ agentId });
    if (other && other.id !== host.id)
      throw new Error(
        `this agent (agent id ${agentId}) is registered already as host "${other.name}" (${other.id}); remove one of the two hosts`,
      );
    host.agentId = agentId;
  }

  /**
   * `tolerateMiss` false (the host was just registered or changed): one failed check is the
   * answer, as the earlier ones were about another address or token.
   */
  private async poll(host: Host, tolerateMiss = true): Promise<Host> {
    try {
      const agent = this.agents.client(host);
      const deadline = <T>(call: Promise<T>) =>
        withDeadline(
          call,
          HEALTH_TIMEOUT_MS,
          `storage agent at ${host.url} did not answer its health check within ${HEALTH_TIMEOUT_MS} ms`,
        );
      // Reachable is what /health says (no zfs command); capacity runs zpool and zfs, which a
      // busy pool (a zfs send under way) may hold up: the last capacity stays then.
      await deadline(agent.health());
      const capacity = await deadline(agent.capacity()).catch((error: unknown) => {
        // An answer that refuses (a wrong token) is not a slow pool: the host is not usable.
        if (error instanceof AgentUnreachableException || error instanceof DeadlineError)
          return null;
        throw error;
      });
      if (capacity) await this.learnAgentId(host, capacity.agentId);
      const returned = host.status === 'down';
      this.misses.delete(host.id);
      Object.assign(host, { status: 'up', capacity: capacity ?? host.capacity, lastError: null });
      if (returned) this.returnListeners.notify(host);
    } catch (error) {
      // With the agent's address and the network error: admins' to see (HostDto.lastError).
      const reason =
        error instanceof AgentUnreachableException ? error.detail : (error as Error).message;
      const misses = (this.misses.get(host.id) ?? 0) + 1;
      this.misses.set(host.id, misses);
      if (host.status === 'up' && tolerateMiss && misses < MISSES_BEFORE_DOWN) {
        this.logger.warn(`host ${host.name} missed a health check: ${reason}`);
        host.lastError = reason;
      } else if (host.status !== 'down') {
        this.logger.warn(`host ${host.name} is down: ${reason}`);
        await this.notifications.notify([], 'host.down', {
          hostId: host.id,
          name: host.name,
          error: reason,
        });
        Object.assign(host, { status: 'down', lastError: reason });
      } else host.lastError = reason;
    }
    host.checkedAt = new Date();
    // Only while the host has the address and token it was checked with: a periodic check that
    // began before an admin's edit must not overwrite the verdict on the new ones.
    await this.hosts.update(
      { id: host.id, url: host.url, token: host.token },
      {
        agentId: host.agentId,
        status: host.status,
        capacity: host.capacity,
        lastError: host.lastError,
        checkedAt: host.checkedAt,
      },
    );
    return host;
  }
}

/** A host as its DTO; `admin` false leaves out what only admins see. */
export function toHostDto(host: Host, admin = true): HostDto {
  const capacity = host.capacity
    ? {
        pool: host.capacity.pool,
        sizeBytes: host.capacity.sizeBytes,
        freeBytes: host.capacity.freeBytes,
        usedBytes: host.capacity.usedBytes,
        health: host.capacity.health,
        runningInstances: host.capacity.runningInstances,
      }
    : null;
  return {
    id: host.id,
    name: host.name,
    ...(admin
      ? {
          url: host.url,
          certificateFingerprint: host.certificateFingerprint,
          agentId: host.agentId,
        }
      : {}),
    status: host.status,
    draining: host.draining,
    capacity,
    ...(admin ? { lastError: host.lastError } : {}),
    checkedAt: host.checkedAt,
  };
}

/** `promise`, or a rejection with `message` once `ms` passed (the call itself may go on). */
class DeadlineError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
