import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName, type BranchOrigin } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { AgentsService } from '../../agents/agents.service.js';
import { serversStarted } from '../../agents/servers-started.js';
import { faultPoint } from '../../common/fault-point.js';
import { SecretBox } from '../../common/secret-box.js';
import { Bookmark } from '../../database/entities/bookmark.entity.js';
import { Branch } from '../../database/entities/branch.entity.js';
import type { Container } from '../../database/entities/container.entity.js';
import { EventsService } from '../../events/events.service.js';
import { HostsService } from '../../hosts/hosts.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PointCopies } from '../../replication/point-copies.service.js';
import { TemplatesService } from '../../templates/templates.service.js';
import { TimelineService } from '../../timeline/timeline.service.js';
import { storedEndpoints } from '../stored-endpoints.js';

/** Creates the container on the agent, clones its default branch (from a bookmark: sent here first when it lives on another host), starts it and records the endpoints. */
@Injectable()
@JobHandlerFor(JobName.CreateContainer)
export class CreateContainerJob implements JobHandler<JobName.CreateContainer> {
  constructor(
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    private readonly containers: ContainerRecords,
    private readonly templates: TemplatesService,
    private readonly hosts: HostsService,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly secrets: SecretBox,
    private readonly pointCopies: PointCopies,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.CreateContainer>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    try {
      const agent = await this.agents.forHostOf(container);
      const sources = await this.templates.sourcesOf(container.templateId);
      const { hooks, ownerSuperuser, keepRoles } = await this.templates.template(
        container.templateId,
      );
      await agent.createContainer(container.id, {
        sources: sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
        password: this.secrets.open(container.password),
        afterStartSql: hooks.afterStart,
        afterStartShell: hooks.afterStartShell,
        ownerSuperuser,
        keepRoles,
      });
      await progress(10);
      const origin = await this.origin(container, payload.branchId, payload.fromBookmarkId);
      // A bookmark of a container on another host: its point is sent here first.
      if (origin.kind === 'point') await this.pointCopies.ensureOn(container.hostId, origin, log);
      // The first point is taken of the clone, before its servers start (no CHECKPOINT).
      await agent.createBranch(container.id, payload.branchId, {
        origin,
        firstPointId: payload.pointId,
      });
      await log(
        origin.kind === 'template'
          ? `cloned template version ${origin.version}`
          : `cloned bookmark ${payload.fromBookmarkId ?? ''}`,
      );
      await progress(50);
      const status = await agent.activate(container.id, { branchId: payload.branchId });
      await log(serversStarted(status));
      faultPoint('create-container:after-agent');
      await progress(80);
      await this.timeline.takeFirstPoint(container, payload.branchId, payload.pointId, origin, {
        snapshotTaken: true,
      });
      const endpoints = storedEndpoints(
        status.endpoints,
        sources,
        (await this.hosts.get(container.hostId)).url,
      );
      await this.branches.update(payload.branchId, { state: 'ready' });
      await this.containers.update(container.id, {
        state: 'ready',
        activeBranchId: payload.branchId,
        endpoints,
      });
      return { containerId: container.id, branchId: payload.branchId };
    } catch (error) {
      await this.branches.update(payload.branchId, { state: 'failed' });
      await this.containers.update(container.id, { state: 'failed' });
      throw error;
    } finally {
      await this.events.containerChanged(container.id);
    }
  }

  /** The bookmark, or else the template version chosen when the container was requested. */
  private async origin(
    container: Container,
    branchId: string,
    fromBookmarkId: string | undefined,
  ): Promise<BranchOrigin> {
    if (!fromBookmarkId)
      return {
        kind: 'template',
        templateId: container.templateId,
        version: await this.timeline.branchVersion(branchId),
      };
    const bookmark = await this.bookmarks.findOneBy({ id: fromBookmarkId });
    if (!bookmark)
      throw new Error(`bookmark ${fromBookmarkId} was deleted before the container was created`);
    return {
      kind: 'point',
      containerId: bookmark.containerId,
      branchId: bookmark.branchId,
      pointId: bookmark.pointId,
    };
  }
}
