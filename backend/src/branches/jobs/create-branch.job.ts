import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { Branch } from '../../database/entities/branch.entity.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PointCopies } from '../../replication/point-copies.service.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/**
 * Clones the origin point into a new branch and records its first point; a point of a
 * container on another host (a shared bookmark) is sent here first.
 */
@Injectable()
@JobHandlerFor(JobName.CreateBranch)
export class CreateBranchJob implements JobHandler<JobName.CreateBranch> {
  constructor(
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly pointCopies: PointCopies,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.CreateBranch>): Promise<Record<string, unknown>> {
    const { containerId, branchId, origin } = payload;
    const container = await this.containers.get(containerId);
    try {
      if (payload.snapshotOrigin)
        await this.timeline.takePoint(container, origin.branchId, origin.pointId, 'snapshot');
      await this.pointCopies.ensureOn(container.hostId, origin, log);
      await progress(20);
      await (
        await this.agents.forHostOf(container)
      ).createBranch(containerId, branchId, {
        origin: { kind: 'point', ...origin },
        firstPointId: payload.pointId,
      });
      await progress(70);
      await this.timeline.takeFirstPoint(
        container,
        branchId,
        payload.pointId,
        {
          kind: 'point',
          pointId: origin.pointId,
        },
        { snapshotTaken: true },
      );
      await this.branches.update(branchId, { state: 'ready' });
      return { branchId };
    } catch (error) {
      await this.branches.update(branchId, { state: 'failed' });
      throw error;
    } finally {
      await this.events.containerChanged(containerId);
    }
  }
}
