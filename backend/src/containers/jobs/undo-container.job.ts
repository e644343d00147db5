import { Injectable } from '@nestjs/common';
import { JobName, type UndoContainerPayload } from '@branchpoint/contracts';
import { JobHandlerFor } from '../../jobs/job-handler.js';
import { pointSource, ReplaceDataJob, type Replacement } from '../../timeline/replace-data.job.js';

/** Returns the active branch to the point taken before its last restore, reset, refresh or undo. */
@Injectable()
@JobHandlerFor(JobName.UndoContainer)
export class UndoContainerJob extends ReplaceDataJob<JobName.UndoContainer> {
  protected readonly pointType = 'undo';

  protected async replacement(payload: UndoContainerPayload): Promise<Replacement> {
    const target = await this.timeline.undoTarget(payload.branchId, payload.afterPointId);
    return {
      source: pointSource(target),
      done: `back at point ${target.id}`,
      result: { undoneTo: target.id },
    };
  }
}
