import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../containers/container-records.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/** The branch's data becomes a clone of a bookmark or point; later points stay. */
@Injectable()
@JobHandlerFor(JobName.RestoreBranch)
export class RestoreBranchJob implements JobHandler<JobName.RestoreBranch> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.RestoreBranch>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    await this.timeline.replaceData(
      container,
      payload,
      { kind: 'point', pointId: payload.targetPointId, branchId: payload.targetBranchId },
      'restore',
      progress,
    );
    await log(`restored to point ${payload.targetPointId}`);
    return { pointId: payload.afterPointId };
  }
}
