import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { HostUnavailableException } from '../agents/agent.exception.js';
import { AgentUnavailableException, BadInputException } from '../common/app.exception.js';
import { Host } from '../database/entities/host.entity.js';
import { TemplateHostsService } from '../templates/template-hosts.service.js';
import type { ContainerHostDto } from './dto/container.dto.js';
import { rankForPlacement, type PlacementHost } from './placement.js';

/** Where a new container of a template goes (see `placement.ts` for the policy). */
@Injectable()
export class PlacementService {
  constructor(
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    private readonly templateHosts: TemplateHostsService,
  ) {}

  /** The hosts a template's new containers may go to: where a version of it is ready. */
  async allowedHosts(templateId: string): Promise<PlacementHost[]> {
    const ids = await this.templateHosts.readyHostIds(templateId);
    const found = ids.length ? await this.hosts.findBy({ id: In(ids) }) : [];
    return ids.flatMap((id) => found.filter((host) => host.id === id));
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
    return new Map(
      found.map((host) => [host.id, { id: host.id, name: host.name, status: host.status }]),
    );
  }

  /**
   * The host for a new container: `requested` when the template is available there (400
   * naming where it is otherwise; 503 while that host is down), else the best ranked one
   * that is up (503 when none is).
   */
  async choose(templateId: string, templateName: string, requested?: string): Promise<string> {
    const allowed = await this.allowedHosts(templateId);
    const names = allowed.map((host) => host.name).join(', ') || 'none yet';
    if (requested !== undefined) {
      const host = allowed.find((candidate) => candidate.id === requested);
      if (!host)
        throw new BadInputException(
          'container.host-not-allowed',
          `template "${templateName}" is not available on host ${requested}; it is on: ${names}`,
        );
      if (host.status === 'down') throw new HostUnavailableException(host.name);
      return host.id;
    }
    const best = rankForPlacement(allowed)[0] ?? allowed.find((host) => host.status !== 'down');
    if (!best)
      throw new AgentUnavailableException(
        `no host of template "${templateName}" is up (it is on: ${names})`,
        'host.unavailable',
      );
    return best.id;
  }
}
