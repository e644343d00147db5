import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { TimelineService } from '../../timeline/timeline.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { ContainerRecords } from '../container-records.js';

/** Returns the active branch to the point taken before its last restore, reset, refresh or undo. */
@Injectable()
@JobHandlerFor(JobName.UndoContainer)
export class UndoContainerJob implements JobHandler<JobName.UndoContainer> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.UndoContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const target = await this.timeline.undoTarget(payload.branchId, payload.afterPointId);
    await this.timeline.replaceData(
      container,
      payload,
      { kind: 'point', pointId: target.id, branchId: target.branchId },
      'undo',
      progress,
    );
    await log(`back at point ${target.id}`);
    return { pointId: payload.afterPointId, undoneTo: target.id };
  }
}
