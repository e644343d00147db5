import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { HostUnavailableException } from '../agents/agent.exception.js';
import { AuditService } from '../audit/audit.service.js';
import {
  AgentUnavailableException,
  BadInputException,
  ConflictException,
  ForbiddenException,
} from '../common/app.exception.js';
import { Host } from '../database/entities/host.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { TemplateHostsService } from '../templates/template-hosts.service.js';
import { TemplatesService } from '../templates/templates.service.js';
import type { ContainerHostDto } from './dto/container.dto.js';
import type { PlacementDto } from './dto/placement.dto.js';
import { rankForPlacement } from './placement.js';

/** Where a new container of a template goes (see `placement.ts` for the policy). */
@Injectable()
export class PlacementService {
  constructor(
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    private readonly templateHosts: TemplateHostsService,
    private readonly templates: TemplatesService,
    private readonly audit: AuditService,
  ) {}

  /** The hosts the template is available on (a version of it ready there), the origin first. */
  private async availableHosts(templateId: string): Promise<Host[]> {
    const ids = await this.templateHosts.readyHostIds(templateId);
    const found = ids.length ? await this.hosts.findBy({ id: In(ids) }) : [];
    return ids.flatMap((id) => found.filter((host) => host.id === id));
  }

  /** Those of them that take new containers (not being drained). */
  private async openHosts(templateId: string): Promise<Host[]> {
    return (await this.availableHosts(templateId)).filter((host) => !host.draining);
  }

  /** The hosts of these containers, by id, as their DTOs show them. */
  async hostsOf(containers: { hostId: string }[]): Promise<Map<string, ContainerHostDto>> {
    const ids = [...new Set(containers.map((c) => c.hostId))];
    const found = ids.length
      ? await this.hosts.find({
          select: { id: true, name: true, status: true },
          where: { id: In(ids) },
        })
      : [];
    return new Map(found.map((host) => [host.id, hostDto(host)]));
  }

  /** The pin and where a new container of the template may go now, best first. */
  async describe(templateId: string): Promise<PlacementDto> {
    const template = await this.templates.template(templateId);
    const allowed = pinned(template, await this.openHosts(templateId));
    const ranked = rankForPlacement(allowed);
    const rest = allowed.filter((host) => !ranked.includes(host));
    return {
      pinnedHostIds: template.placementHostIds ?? null,
      hosts: [...ranked, ...rest].map(hostDto),
    };
  }

  /** Admins: pins the template's new containers to these hosts (null: unpins). */
  async pin(actorId: string, templateId: string, hostIds: string[] | null): Promise<PlacementDto> {
    const template = await this.templates.template(templateId);
    const unique = hostIds === null ? null : [...new Set(hostIds)];
    if (unique !== null) {
      const known = await this.hosts.findBy({ id: In(unique) });
      const unknown = unique.filter((id) => !known.some((host) => host.id === id));
      if (unknown.length > 0)
        throw new BadInputException('host.unknown', `no such host: ${unknown.join(', ')}`);
    }
    await this.hosts.manager.update(Template, template.id, { placementHostIds: unique });
    await this.audit.record(actorId, 'template.placement', 'template', template.id, {
      hostIds: unique,
    });
    return this.describe(template.id);
  }

  /**
   * The host for a new container: `requested` when the template is available there (400
   * naming where it is otherwise; 403 outside an admin's pin; 503 while that host is down),
   * else the best ranked one that is up (503 when none is; 409 when the pin leaves none).
   * A host being drained is never chosen (409 when asked for).
   */
  async choose(templateId: string, requested?: string): Promise<string> {
    const template = await this.templates.template(templateId);
    const available = await this.availableHosts(templateId);
    const allowed = pinned(template, available);
    const names = (hosts: Host[]) => hosts.map((host) => host.name).join(', ') || 'none yet';
    if (requested !== undefined) {
      const host = available.find((candidate) => candidate.id === requested);
      if (!host)
        throw new BadInputException(
          'container.host-not-allowed',
          `template "${template.name}" is not available on host ${requested}; it is on: ${names(available)}`,
        );
      if (!allowed.includes(host))
        throw new ForbiddenException(
          'container.host-pinned',
          `an admin pinned template "${template.name}" to hosts ${names(allowed)}; not ${host.name}`,
        );
      if (host.status === 'down') throw new HostUnavailableException(host.name);
      if (host.draining)
        throw new ConflictException(
          'host.draining',
          `host ${host.name} is being drained: it takes no new containers`,
        );
      return host.id;
    }
    if (allowed.length === 0 && available.length > 0)
      throw new ConflictException(
        'template.no-placement',
        `template "${template.name}" is pinned to hosts it is not available on (it is on: ${names(available)})`,
      );
    const open = allowed.filter((host) => !host.draining);
    if (open.length === 0 && allowed.length > 0)
      throw new ConflictException(
        'host.draining',
        `every host of template "${template.name}" is being drained (${names(allowed)}): none takes new containers`,
      );
    const best = rankForPlacement(open)[0] ?? open.find((host) => host.status !== 'down');
    if (!best)
      throw new AgentUnavailableException(
        `no host of template "${template.name}" is up (it is on: ${names(allowed)})`,
        'host.unavailable',
      );
    return best.id;
  }
}

/** The hosts within the template's pin (all of them when it has none). */
function pinned(template: Template, hosts: Host[]): Host[] {
  const pin = template.placementHostIds ?? null;
  return pin === null ? hosts : hosts.filter((host) => pin.includes(host.id));
}

function hostDto(host: Pick<Host, 'id' | 'name' | 'status'>): ContainerHostDto {
  return { id: host.id, name: host.name, status: host.status };
}
