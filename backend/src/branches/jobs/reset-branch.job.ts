import { Injectable } from '@nestjs/common';
import { JobName, type ResetBranchPayload } from '@branchpoint/contracts';
import { JobHandlerFor } from '../../jobs/job-handler.js';
import { pointSource, ReplaceDataJob, type Replacement } from '../../timeline/replace-data.job.js';

/**
 * Throws away changes since the branch's last point. Done as a restore of that point rather
 * than a rollback, so the discarded state is kept as a point and reset can be undone.
 */
@Injectable()
@JobHandlerFor(JobName.ResetBranch)
export class ResetBranchJob extends ReplaceDataJob<JobName.ResetBranch> {
  protected readonly pointType = 'reset';

  protected async replacement(payload: ResetBranchPayload): Promise<Replacement> {
    const target = await this.timeline.lastPoint(payload.branchId, payload);
    return {
      source: pointSource(target),
      done: `reset to point ${target.id}`,
      result: { resetTo: target.id },
    };
  }
}
