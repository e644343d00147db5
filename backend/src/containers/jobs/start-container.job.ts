import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { serversStarted } from '../../agents/servers-started.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';

/** Starts the active branch's databases again on their fixed ports. */
@Injectable()
@JobHandlerFor(JobName.StartContainer)
export class StartContainerJob implements JobHandler<JobName.StartContainer> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
  ) {}

  async run({
    payload,
    log,
  }: JobContext<JobName.StartContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const status = await (await this.agents.forHostOf(container)).startContainer(container.id);
    await log(serversStarted(status));
    // A fresh start counts as activity, so the idle stop waits its full time again.
    await this.containers.update(container.id, { serving: 'running', lastActivityAt: new Date() });
    await this.events.containerChanged(container.id);
    return { running: status.running };
  }
}
