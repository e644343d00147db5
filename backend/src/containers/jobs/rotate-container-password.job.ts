import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentResourceMissingException } from '../../agents/agent.exception.js';
import { AgentsService } from '../../agents/agents.service.js';
import { SecretBox } from '../../common/secret-box.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { newContainerPassword } from '../container-password.js';

/**
 * Gives the container a new generated password: the agent first (every server takes it at
 * once), then the catalog, so the endpoints never show a password the servers refuse. A retry
 * makes yet another password, which is as good. The catalog keeps it sealed (SecretBox).
 */
@Injectable()
@JobHandlerFor(JobName.RotateContainerPassword)
export class RotateContainerPasswordJob implements JobHandler<JobName.RotateContainerPassword> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly secrets: SecretBox,
  ) {}

  async run({
    payload,
    log,
  }: JobContext<JobName.RotateContainerPassword>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const password = newContainerPassword();
    try {
      await (await this.agents.forHostOf(container)).setPassword(container.id, { password });
    } catch (error) {
      // A container the agent never made (its creation failed) has no server to tell.
      if (!(error instanceof AgentResourceMissingException)) throw error;
    }
    await this.containers.update(container.id, { password: this.secrets.seal(password) });
    await log(
      payload.reason === 'owner-removed'
        ? 'new password after a co-owner was removed; sessions of the old one were ended'
        : 'new password; sessions of the old one were ended',
    );
    await this.events.containerChanged(container.id);
    return { containerId: container.id };
  }
}
