import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../containers/container-records.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/**
 * Throws away changes since the branch's last point. Done as a restore of that point rather
 * than a rollback, so the discarded state is kept as a point and reset can be undone.
 */
@Injectable()
@JobHandlerFor(JobName.ResetBranch)
export class ResetBranchJob implements JobHandler<JobName.ResetBranch> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.ResetBranch>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const target = await this.timeline.lastPoint(payload.branchId, payload);
    await this.timeline.replaceData(
      container,
      payload,
      { kind: 'point', pointId: target.id, branchId: target.branchId },
      'reset',
      progress,
    );
    await log(`reset to point ${target.id}`);
    return { pointId: payload.afterPointId, resetTo: target.id };
  }
}
