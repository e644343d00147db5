import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { Not, type Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AppException, ConflictException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { PlacementService } from '../containers/placement.service.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import { HostsService } from '../hosts/hosts.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { DrainResultDto } from './dto/move.dto.js';

/** Moving a container to another host, and draining a host (moving every container off it). */
@Injectable()
export class MovesService {
  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly access: AccessService,
    private readonly placement: PlacementService,
    private readonly hosts: HostsService,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
  ) {}

  /** Owners: moves the container to `hostId`, one of the hosts its template is available on. */
  async move(user: CurrentUser, id: string, hostId: string): Promise<AcceptedJobDto> {
    const container = await this.access.operableContainer(user, id);
    if (container.hostId === hostId)
      throw new ConflictException(
        'container.same-host',
        `container "${container.name}" is on host ${(await this.hosts.get(hostId)).name} already`,
      );
    const target = await this.placement.choose(container.templateId, hostId);
    return this.start(container, target, user.id, 'container.move');
  }

  /**
   * Admins: the host takes no new containers, and each container on it moves to where placement
   * puts it now (another host: this one is draining).
   */
  async drain(user: CurrentUser, hostId: string): Promise<DrainResultDto> {
    await this.hosts.setDraining(user.id, hostId, true);
    const result: DrainResultDto = { moves: [], skipped: [] };
    const on = await this.containers.find({ where: { hostId }, order: { name: 'ASC' } });
    for (const container of on) {
      try {
        if (container.state !== 'ready')
          throw new ConflictException('container.busy', `it is ${container.state}`);
        const target = await this.placement.choose(container.templateId);
        const { jobId } = await this.start(container, target, user.id, 'host.drain');
        result.moves.push({
          containerId: container.id,
          name: container.name,
          hostId: target,
          jobId,
        });
      } catch (error) {
        if (!(error instanceof AppException)) throw error;
        result.skipped.push({
          containerId: container.id,
          name: container.name,
          reason: error.message,
        });
      }
    }
    return result;
  }

  /** Admins: the host takes new containers again. */
  async endDrain(user: CurrentUser, hostId: string): Promise<void> {
    await this.hosts.setDraining(user.id, hostId, false);
  }

  private async start(
    container: Container,
    hostId: string,
    actorId: string,
    action: string,
  ): Promise<AcceptedJobDto> {
    await this.refuseIfOriginHere(container);
    await this.containers.update(container.id, { state: 'moving' });
    await this.events.containerChanged(container.id);
    try {
      return await this.jobs.start(
        JobName.MoveContainer,
        {
          containerId: container.id,
          fromHostId: container.hostId,
          hostId,
          snapshots: { copy: `move-${randomUUID()}`, final: `move-${randomUUID()}` },
        },
        { userId: actorId, containerId: container.id },
        {
          action,
          entityType: 'container',
          entityId: container.id,
          details: { name: container.name, fromHostId: container.hostId, hostId },
        },
      );
    } catch (error) {
      await this.containers.update(container.id, { state: 'ready' });
      throw error;
    }
  }

  /**
   * 409 naming the branches of other containers on the same host that were cloned from this
   * one: they depend on its copy there (those on other hosts hold copies of their own).
   */
  private async refuseIfOriginHere(container: Container): Promise<void> {
    const dependents = await this.branches.find({
      where: { originContainerId: container.id, containerId: Not(container.id) },
    });
    const names: string[] = [];
    for (const branch of dependents) {
      const owner = await this.containers.findOneBy({ id: branch.containerId });
      if (owner?.hostId === container.hostId)
        names.push(`branch "${branch.name}" of container "${owner.name}"`);
    }
    if (names.length > 0)
      throw new ConflictException(
        'container.has-dependents',
        `container "${container.name}" is the origin of ${names.join(', ')} on the same host; move or delete those first`,
      );
  }
}
