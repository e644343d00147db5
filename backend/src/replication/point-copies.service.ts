import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PointRef } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { HostUnavailableException } from '../agents/agent.exception.js';
import { Container } from '../database/entities/container.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import { TemplatesService } from '../templates/templates.service.js';
import { TimelineService } from '../timeline/timeline.service.js';
import { TemplateReplicas } from './template-replicas.service.js';
import { formatBytes, TransfersService, type StepLog } from './transfers.service.js';

/**
 * Bookmarks travel: a point of a container on another host is sent to the host a branch is
 * made on, one source at a time, incrementally from the template version it was cloned from
 * (which that host is given first when it lacks it). The receiving agent keeps it as a
 * received point for as long as clones of it live there.
 */
@Injectable()
export class PointCopies {
  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly hosts: HostsService,
    private readonly templates: TemplatesService,
    private readonly timeline: TimelineService,
    private readonly replicas: TemplateReplicas,
    private readonly transfers: TransfersService,
  ) {}

  /** Makes `point` something a branch on `hostId` can be cloned from; nothing to do on its own host. */
  async ensureOn(hostId: string, point: PointRef, log: StepLog['log']): Promise<void> {
    const owner = await this.containers.findOneBy({ id: point.containerId });
    if (!owner) throw new Error(`container ${point.containerId} of the point was deleted`);
    if (owner.hostId === hostId) return;
    const [source, target] = await Promise.all([
      this.hosts.get(owner.hostId),
      this.hosts.get(hostId),
    ]);
    if (source.status === 'down') throw new HostUnavailableException(source.name);
    const version = await this.timeline.versionOf({ kind: 'point', pointId: point.pointId });
    // The create job's progress steps stay its own: transfers here only log.
    const step = { progress: async () => undefined, log };
    await this.replicas.ensureVersion(owner.templateId, hostId, version, step);
    // Each source is received whole or not at all; one already there is kept (a repeat is cheap).
    let bytes = 0;
    for (const templateSource of await this.templates.sourcesOf(owner.templateId)) {
      const status = await this.transfers.transfer(
        source,
        target,
        {
          kind: 'point',
          templateId: owner.templateId,
          version,
          containerId: point.containerId,
          branchId: point.branchId,
          pointId: point.pointId,
          sourceId: templateSource.id,
        },
        step,
      );
      bytes += status.bytes;
    }
    await log(
      `sent point ${point.pointId} from host ${source.name} to ${target.name} (increment from ${version}): ${formatBytes(bytes)} (${bytes} bytes)`,
    );
  }
}
