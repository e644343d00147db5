import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../access/access.service.js';
import { AgentsService } from '../agents/agents.service.js';
import { ConflictException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import type { Container } from '../database/entities/container.entity.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { ServerSettingsDto, UpdateServerSettingsDto } from './dto/container-settings.dto.js';
import { settingChanges } from './server-settings.js';

/**
 * Server parameters of a container's active branch (ALTER SYSTEM on its servers). They live in
 * the branch's data, so each branch keeps its own and undo or restore brings old ones back.
 */
@Injectable()
export class ContainerSettingsService {
  constructor(
    private readonly access: AccessService,
    private readonly agents: AgentsService,
    private readonly jobs: JobsService,
  ) {}

  /** What the owners changed on the active branch, as its servers run it now. */
  async get(user: CurrentUser, id: string): Promise<ServerSettingsDto> {
    const container = await this.access.ownedContainer(user, id);
    assertServing(container);
    const { branchId, settings, pendingRestart } = await (
      await this.agents.forHostOf(container)
    ).settings(id);
    return { branchId, settings, pendingRestart };
  }

  /** Queues the change; the job records a point first, so undo returns to the old settings. */
  async update(
    user: CurrentUser,
    id: string,
    dto: UpdateServerSettingsDto,
  ): Promise<AcceptedJobDto> {
    const settings = settingChanges(dto.settings);
    const container = await this.access.operableContainer(user, id);
    const branchId = assertServing(container);
    return this.jobs.start(
      JobName.UpdateContainerSettings,
      {
        containerId: id,
        branchId,
        beforePointId: randomUUID(),
        afterPointId: randomUUID(),
        settings,
      },
      { userId: user.id, containerId: id },
      {
        action: 'container.settings',
        entityType: 'container',
        entityId: id,
        details: { settings },
      },
    );
  }
}

/** Settings live in running servers: 409 unless the active branch's servers run; returns that branch. */
function assertServing(container: Container): string {
  if (!container.activeBranchId)
    throw new ConflictException(
      'container.no-active-branch',
      `container ${container.id} has no active branch`,
    );
  if (container.serving !== 'running')
    throw new ConflictException(
      'container.stopped',
      `container ${container.id} is ${container.serving === 'idle' ? 'stopped while idle' : 'stopped'}; start it to see or change its settings`,
    );
  return container.activeBranchId;
}
