import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { AppConfig } from '../../config/app-config.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { idleFor } from '../idle.js';

/** Stops the active branch's databases; the data and the ports stay. */
@Injectable()
@JobHandlerFor(JobName.StopContainer)
export class StopContainerJob implements JobHandler<JobName.StopContainer> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
  ) {}

  async run({ payload, log }: JobContext<JobName.StopContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const agent = await this.agents.forHostOf(container);
    if (payload.reason === 'idle') {
      // A client may have connected between the decision and this job: then it keeps running.
      const activity = await agent.activity(container.id);
      const idle = idleFor(container.lastActivityAt, activity, new Date());
      if (activity.running && idle !== null && idle < this.config.idleStopMs) {
        await this.containers.update(container.id, { serving: 'running' });
        await this.events.containerChanged(container.id);
        await log('a client used the databases since the idle stop was decided: they keep running');
        return { stopped: false };
      }
    }
    await agent.stopContainer(container.id);
    await log(payload.reason === 'idle' ? 'databases stopped (idle)' : 'databases stopped');
    await this.containers.update(container.id, {
      serving: payload.reason === 'idle' ? 'idle' : 'stopped',
    });
    await this.events.containerChanged(container.id);
    return { stopped: true };
  }
}
