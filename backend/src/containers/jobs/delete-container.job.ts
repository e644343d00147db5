import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { faultPoint } from '../../common/fault-point.js';
import { Bookmark } from '../../database/entities/bookmark.entity.js';
import { Branch } from '../../database/entities/branch.entity.js';
import { Container } from '../../database/entities/container.entity.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PreviewsService } from '../../previews/previews.service.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/** Releases the container's bookmark holds, then has the agent stop and destroy everything it holds. */
@Injectable()
@JobHandlerFor(JobName.DeleteContainer)
export class DeleteContainerJob implements JobHandler<JobName.DeleteContainer> {
  constructor(
    @InjectRepository(Container) private readonly containerRows: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly previews: PreviewsService,
  ) {}

  async run({
    payload,
    progress,
  }: JobContext<JobName.DeleteContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const agent = await this.agents.forHostOf(container);
    try {
      for (const bookmark of await this.bookmarks.findBy({ containerId: container.id })) {
        await agent.release(bookmark.id, {
          containerId: container.id,
          branchId: bookmark.branchId,
          pointId: bookmark.pointId,
        });
      }
      // Their clones depend on the container's points.
      await this.previews.endForContainer(container.id);
      await progress(20);
      await agent.deleteContainer(container.id);
      faultPoint('delete-container:after-agent');
    } catch (error) {
      await this.containers.update(container.id, { state: 'ready' });
      throw error;
    }
    await this.bookmarks.delete({ containerId: container.id });
    await this.timeline.deleteOfContainer(container.id);
    await this.branches.delete({ containerId: container.id });
    await this.containerRows.delete(container.id);
    return { containerId: container.id };
  }
}
