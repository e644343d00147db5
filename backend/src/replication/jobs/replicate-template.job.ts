import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TemplateReplicas } from '../template-replicas.service.js';

/** Brings an added host up to the template's newest ready version (see TemplateReplicas). */
@Injectable()
@JobHandlerFor(JobName.ReplicateTemplate)
export class ReplicateTemplateJob implements JobHandler<JobName.ReplicateTemplate> {
  constructor(private readonly replicas: TemplateReplicas) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.ReplicateTemplate>): Promise<Record<string, unknown>> {
    return this.replicas.bringUpToDate(payload.templateId, payload.hostId, { progress, log });
  }
}
