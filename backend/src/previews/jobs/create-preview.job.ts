import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PreviewsService } from '../previews.service.js';

/** Clones the point on its host and starts its read-only servers. */
@Injectable()
@JobHandlerFor(JobName.CreatePreview)
export class CreatePreviewJob implements JobHandler<JobName.CreatePreview> {
  constructor(private readonly previews: PreviewsService) {}

  async run({ payload, log }: JobContext<JobName.CreatePreview>): Promise<Record<string, unknown>> {
    const preview = await this.previews.serve(payload.previewId);
    await log(
      `preview of point ${preview.pointId} serves read-only until ${preview.expiresAt.toISOString()}`,
    );
    return { previewId: preview.id };
  }
}
