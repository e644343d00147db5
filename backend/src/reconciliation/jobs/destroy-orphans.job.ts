import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { ReconciliationService } from '../reconciliation.service.js';

/**
 * Destroys exactly the orphans an admin confirmed, after checking them again: each still
 * `destroyable` and unchanged since the preview, else the job fails naming why and destroys nothing.
 */
@Injectable()
@JobHandlerFor(JobName.DestroyOrphans)
export class DestroyOrphansJob implements JobHandler<JobName.DestroyOrphans> {
  constructor(private readonly reconciliation: ReconciliationService) {}

  async run({
    userId,
    payload,
    log,
  }: JobContext<JobName.DestroyOrphans>): Promise<Record<string, unknown>> {
    const destroyed = await this.reconciliation.destroyConfirmed(userId, payload, (line) =>
      log(line),
    );
    return { hostId: payload.hostId, destroyed };
  }
}
