import { Injectable } from '@nestjs/common';
import { JobName, type RestoreBranchPayload } from '@branchpoint/contracts';
import { JobHandlerFor } from '../../jobs/job-handler.js';
import { ReplaceDataJob, type Replacement } from '../../timeline/replace-data.job.js';

/** The branch's data becomes a clone of a bookmark or point; later points stay. */
@Injectable()
@JobHandlerFor(JobName.RestoreBranch)
export class RestoreBranchJob extends ReplaceDataJob<JobName.RestoreBranch> {
  protected readonly pointType = 'restore';

  protected async replacement(payload: RestoreBranchPayload): Promise<Replacement> {
    return {
      source: { kind: 'point', pointId: payload.targetPointId, branchId: payload.targetBranchId },
      done: `restored to point ${payload.targetPointId}`,
    };
  }
}
