import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { ConflictException } from '../../common/app.exception.js';
import { EventsService } from '../../events/events.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/**
 * Changes server parameters of the active branch between a point before and a `settings` point
 * after (see TimelineService.undoableStep): undo returns to the old settings.
 */
@Injectable()
@JobHandlerFor(JobName.UpdateContainerSettings)
export class UpdateContainerSettingsJob implements JobHandler<JobName.UpdateContainerSettings> {
  constructor(
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.UpdateContainerSettings>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    if (container.activeBranchId !== payload.branchId)
      throw new ConflictException(
        'settings.outdated',
        'another branch was activated since the settings change was asked for; change them again',
      );
    const agent = await this.agents.forHostOf(container);
    const result = await this.timeline.undoableStep(container, payload, 'settings', async () => {
      await progress(30);
      const applied = await agent.updateSettings(container.id, { settings: payload.settings });
      await progress(80);
      return applied;
    });
    await log(
      ...Object.entries(payload.settings).map(([name, value]) =>
        value === null ? `reset ${name}` : `set ${name} = ${value}`,
      ),
      result.restarted
        ? 'servers restarted to apply the change'
        : 'servers reloaded their settings',
      ...(result.pendingRestart.length > 0
        ? [`waiting for a restart: ${result.pendingRestart.join(', ')}`]
        : []),
    );
    await this.events.containerChanged(container.id);
    return {
      pointId: payload.afterPointId,
      settings: result.settings,
      pendingRestart: result.pendingRestart,
      restarted: result.restarted,
    };
  }
}
