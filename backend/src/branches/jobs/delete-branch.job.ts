import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { Branch } from '../../database/entities/branch.entity.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/** Destroys the branch's datasets on the agent (it refuses while something depends on them). */
@Injectable()
@JobHandlerFor(JobName.DeleteBranch)
export class DeleteBranchJob implements JobHandler<JobName.DeleteBranch> {
  constructor(
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
  ) {}

  async run({ payload }: JobContext<JobName.DeleteBranch>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    try {
      await (await this.agents.forHostOf(container)).deleteBranch(container.id, payload.branchId);
    } catch (error) {
      await this.branches.update(payload.branchId, { state: 'ready' });
      throw error;
    }
    await this.timeline.deleteOfBranch(payload.branchId);
    await this.branches.delete(payload.branchId);
    await this.events.containerChanged(container.id);
    return { branchId: payload.branchId };
  }
}
