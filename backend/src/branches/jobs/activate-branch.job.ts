import { Injectable, Logger } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { serversStarted } from '../../agents/servers-started.js';
import { faultPoint } from '../../common/fault-point.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';

/** Stops the active branch's databases and starts this branch's on the same ports. */
@Injectable()
@JobHandlerFor(JobName.ActivateBranch)
export class ActivateBranchJob implements JobHandler<JobName.ActivateBranch> {
  private readonly logger = new Logger(ActivateBranchJob.name);

  constructor(
    private readonly containers: ContainerRecords,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
  ) {}

  async run({
    payload,
    log,
  }: JobContext<JobName.ActivateBranch>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const started = Date.now();
    const status = await (
      await this.agents.forHostOf(container)
    ).activate(container.id, { branchId: payload.branchId });
    const durationMs = Date.now() - started;
    faultPoint('activate:after-agent');
    await log(`${serversStarted(status)} (switched in ${durationMs} ms)`);
    this.logger.log(
      `activated branch ${payload.branchId} of container ${container.id} in ${durationMs} ms`,
    );
    // Activation starts the servers, also those of a stopped container.
    await this.containers.update(container.id, {
      activeBranchId: payload.branchId,
      serving: 'running',
      lastActivityAt: new Date(),
    });
    await this.events.containerChanged(container.id);
    return { branchId: payload.branchId, durationMs };
  }
}
