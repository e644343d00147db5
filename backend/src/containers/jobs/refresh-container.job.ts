import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { Branch } from '../../branches/branch.entity.js';
import { TimelineService } from '../../branches/timeline.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { ContainerRecords } from '../container-records.js';

/**
 * Brings a new template version into the active branch. The agent restores branches only from
 * points, so the version is first cloned into a hidden staging branch and snapshotted there;
 * the active branch then restores from that point like any restore (bookmarks stay, undo works).
 */
@Injectable()
@JobHandlerFor(JobName.RefreshContainer)
export class RefreshContainerJob implements JobHandler<JobName.RefreshContainer> {
  constructor(
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    userId,
    log,
  }: JobContext<JobName.RefreshContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const staging = payload.stagingBranchId;
    if (!(await this.branches.existsBy({ id: staging }))) {
      await this.branches.insert({
        id: staging,
        containerId: container.id,
        name: `refresh-${payload.version}-${staging.slice(0, 8)}`,
        internal: true,
        state: 'creating',
        originPointId: null,
        originContainerId: null,
        originBookmarkId: null,
        createdById: userId,
      });
    }
    const agent = await this.timeline.agentFor(container);
    await agent.createBranch(container.id, staging, {
      origin: { kind: 'template', templateId: container.templateId, version: payload.version },
    });
    await this.timeline.takePoint(container, staging, payload.stagingPointId, 'created');
    await this.branches.update(staging, { state: 'ready' });
    await progress(20);
    await this.timeline.replaceData(
      container,
      payload,
      { pointId: payload.stagingPointId, branchId: staging },
      'refresh',
      async (p) => progress(20 + p * 0.8),
    );
    await this.containers.update(container.id, { templateVersion: payload.version });
    await log(`refreshed to template version ${payload.version}`);
    return { pointId: payload.afterPointId, version: payload.version };
  }
}
