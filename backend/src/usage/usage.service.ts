import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isOwner } from '../access/access.service.js';
import { AgentsService } from '../agents/agents.service.js';
import { bytesByOwner, classifyInventory } from '../agents/inventory.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { Container } from '../database/entities/container.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import { QUOTA_KINDS } from '../quotas/quota-limits.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { UsersService } from '../users/users.service.js';
import type { UsageDto, UsageEntryDto } from './usage.dto.js';

type Bytes = { logicalBytes: number; physicalBytes: number };

/** Space per user, template and container, from the agents' ZFS numbers. Users see their own containers. */
@Injectable()
export class UsageService {
  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly users: UsersService,
    private readonly quotas: QuotasService,
  ) {}

  async usage(user: CurrentUser): Promise<UsageDto> {
    const bytes = new Map<string, Bytes>();
    const unavailableHosts: string[] = [];
    for (const host of await this.hosts.all()) {
      try {
        for (const [id, entry] of bytesByOwner(
          classifyInventory(await this.agents.client(host).inventory()),
        ))
          bytes.set(id, entry);
      } catch {
        unavailableHosts.push(host.name);
      }
    }
    const zero = { logicalBytes: 0, physicalBytes: 0 };
    const containers = (await this.containers.find()).filter((c) => isOwner(user, c));
    const containerEntries = containers.map((c) => entry(c.id, c.name, bytes.get(c.id) ?? zero));
    const templateEntries = (await this.templates.find()).map((t) =>
      entry(t.id, t.name, bytes.get(t.id) ?? zero),
    );
    const perUser = new Map<string, Bytes>();
    for (const container of containers) {
      for (const ownerId of container.ownerIds) {
        if (!isAdmin(user) && ownerId !== user.id) continue;
        perUser.set(ownerId, add(perUser.get(ownerId) ?? zero, bytes.get(container.id) ?? zero));
      }
    }
    const names = await this.users.usernames([...perUser.keys()]);
    const visibleTemplates = isAdmin(user) ? templateEntries : [];
    const total = [...containerEntries, ...visibleTemplates].reduce<Bytes>(
      (sum, e) => add(sum, e),
      zero,
    );
    return {
      total: entry('total', 'total', total),
      users: [...perUser].map(([id, b]) => entry(id, names.get(id) ?? id, b)),
      templates: templateEntries,
      containers: containerEntries,
      unavailableHosts,
      quotas: await this.quotaUse(user),
    };
  }

  /** The caller's use of each quota against the limit that applies to them. */
  private async quotaUse(user: CurrentUser): Promise<UsageDto['quotas']> {
    const [{ effective }, used] = await Promise.all([
      this.quotas.ofUser(user.id),
      this.quotas.usageOf(user.id),
    ]);
    return QUOTA_KINDS.map((kind) => ({ kind, used: used[kind], limit: effective[kind] }));
  }
}

function add(a: Bytes, b: Bytes): Bytes {
  return {
    logicalBytes: a.logicalBytes + b.logicalBytes,
    physicalBytes: a.physicalBytes + b.physicalBytes,
  };
}

function entry(id: string, name: string, b: Bytes): UsageEntryDto {
  return {
    id,
    name,
    ...b,
    savingsRatio:
      b.physicalBytes > 0 ? Math.round((b.logicalBytes / b.physicalBytes) * 100) / 100 : 0,
  };
}
