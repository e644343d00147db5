import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { AgentsService } from '../../agents/agents.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TemplateHostsService } from '../../templates/template-hosts.service.js';

/** Destroys the template's datasets on an added host, then forgets the host. Repeatable. */
@Injectable()
@JobHandlerFor(JobName.RemoveTemplateHost)
export class RemoveTemplateHostJob implements JobHandler<JobName.RemoveTemplateHost> {
  constructor(
    private readonly templateHosts: TemplateHostsService,
    private readonly agents: AgentsService,
  ) {}

  async run({
    payload,
    log,
  }: JobContext<JobName.RemoveTemplateHost>): Promise<Record<string, unknown>> {
    const { templateId, hostId } = payload;
    try {
      await (await this.agents.forHostOf({ hostId })).deleteTemplate(templateId);
    } catch (error) {
      // Still there (e.g. a container was made meanwhile): the host keeps serving it.
      await this.templateHosts.setState(templateId, hostId, 'failed', {
        error: (error as Error).message,
      });
      throw error;
    }
    await this.templateHosts.remove(templateId, hostId);
    await log(`template ${templateId} removed from host ${hostId}`);
    return { templateId, hostId };
  }
}
