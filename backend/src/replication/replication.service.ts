import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { Container } from '../database/entities/container.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import { TemplateHostsService } from '../templates/template-hosts.service.js';
import { TemplatesService } from '../templates/templates.service.js';

/** Admins make a template available on more hosts, or take it off one (never its origin). */
@Injectable()
export class ReplicationService {
  constructor(
    private readonly templates: TemplatesService,
    private readonly templateHosts: TemplateHostsService,
    private readonly hosts: HostsService,
    private readonly jobs: JobsService,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
  ) {}

  /** Adds the host and sends it the newest version (whole, or the increment it lacks). */
  async addHost(user: CurrentUser, templateId: string, hostId: string): Promise<AcceptedJobDto> {
    const template = await this.templates.template(templateId);
    await this.hosts.get(hostId).catch(() => {
      throw new BadInputException('host.unknown', `host ${hostId} does not exist`);
    });
    if (template.hostId === hostId)
      throw new ConflictException(
        'template.host-is-origin',
        `host ${hostId} is where template ${template.name} is ingested: it is there already`,
      );
    if (!(await this.templates.latestReadyVersion(templateId)))
      throw new ConflictException(
        'template.no-version',
        `template ${template.name} has no ready version to send yet`,
      );
    await this.templateHosts.add(templateId, hostId);
    return this.jobs.start(
      JobName.ReplicateTemplate,
      { templateId, hostId },
      { userId: user.id, templateId },
      {
        action: 'template.host-add',
        entityType: 'template',
        entityId: templateId,
        details: { hostId },
      },
    );
  }

  /** Destroys the template's copy on the host; refused while containers of it live there. */
  async removeHost(user: CurrentUser, templateId: string, hostId: string): Promise<AcceptedJobDto> {
    const template = await this.templates.template(templateId);
    if (template.hostId === hostId)
      throw new ConflictException(
        'template.host-is-origin',
        `host ${hostId} is where template ${template.name} is ingested: it cannot be removed`,
      );
    if (!(await this.templateHosts.find(templateId, hostId)))
      throw new NotFoundException('template-host', `${hostId} of template ${template.name}`);
    const inUse = await this.containers.countBy({ templateId, hostId });
    if (inUse > 0)
      throw new ConflictException(
        'template.host-in-use',
        `${inUse} container(s) of template ${template.name} live on host ${hostId}: move or delete them first`,
      );
    await this.templateHosts.setState(templateId, hostId, 'removing');
    return this.jobs.start(
      JobName.RemoveTemplateHost,
      { templateId, hostId },
      { userId: user.id, templateId },
      {
        action: 'template.host-remove',
        entityType: 'template',
        entityId: templateId,
        details: { hostId },
      },
    );
  }
}
