import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { TimelineService } from '../../timeline/timeline.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { ContainerRecords } from '../container-records.js';

/**
 * Brings a new template version into the active branch: the agent restores the branch straight
 * from the version like any restore (a point before, a new generation, a point after), so
 * bookmarks stay, undo returns to the data (and version) before, and no other branch is made.
 */
@Injectable()
@JobHandlerFor(JobName.RefreshContainer)
export class RefreshContainerJob implements JobHandler<JobName.RefreshContainer> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.RefreshContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    await this.timeline.replaceData(
      container,
      payload,
      { kind: 'template', templateId: container.templateId, version: payload.version },
      'refresh',
      progress,
    );
    await log(`refreshed to template version ${payload.version}`);
    return { pointId: payload.afterPointId, version: payload.version };
  }
}
