import { Injectable } from '@nestjs/common';
import { JobName, type RefreshContainerPayload } from '@branchpoint/contracts';
import type { Container } from '../../database/entities/container.entity.js';
import { JobHandlerFor } from '../../jobs/job-handler.js';
import { ReplaceDataJob, type Replacement } from '../../timeline/replace-data.job.js';

/**
 * Brings a new template version into the active branch: the agent restores the branch straight
 * from the version like any restore (a point before, a new generation, a point after), so
 * bookmarks stay, undo returns to the data (and version) before, and no other branch is made.
 */
@Injectable()
@JobHandlerFor(JobName.RefreshContainer)
export class RefreshContainerJob extends ReplaceDataJob<JobName.RefreshContainer> {
  protected readonly pointType = 'refresh';

  protected async replacement(
    payload: RefreshContainerPayload,
    container: Container,
  ): Promise<Replacement> {
    return {
      source: { kind: 'template', templateId: container.templateId, version: payload.version },
      done: `refreshed to template version ${payload.version}`,
      result: { version: payload.version },
    };
  }
}
