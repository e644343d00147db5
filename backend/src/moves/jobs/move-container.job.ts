import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName, type MoveContainerPayload } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { HostUnavailableException } from '../../agents/agent.exception.js';
import { AgentsService } from '../../agents/agents.service.js';
import { faultPoint } from '../../common/fault-point.js';
import { storedEndpoints } from '../../containers/stored-endpoints.js';
import { Bookmark } from '../../database/entities/bookmark.entity.js';
import type { Container } from '../../database/entities/container.entity.js';
import type { Host } from '../../database/entities/host.entity.js';
import { EventsService } from '../../events/events.service.js';
import { HostsService } from '../../hosts/hosts.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PreviewsService } from '../../previews/previews.service.js';
import { PointCopies } from '../../replication/point-copies.service.js';
import { TemplateReplicas } from '../../replication/template-replicas.service.js';
import {
  formatBytes,
  TransfersService,
  type StepLog,
} from '../../replication/transfers.service.js';
import { TemplatesService } from '../../templates/templates.service.js';
import { NotificationsService } from '../../webhooks/notifications.service.js';

/**
 * Moves a container to another host with ZFS's own replication, in steps a repeat after a crash
 * completes:
 * 1. the new host is given what the container's clones were made from (template versions,
 *    other containers' points), then a whole copy of the container's tree while it still runs;
 * 2. its servers stop on the old host (downtime starts), the increment since the copy follows,
 *    and the catalog switches to the new host: from here on, the new host's copy is the one;
 * 3. the new host makes it its own (ports, uid, holds), starts it, the connection strings change
 *    (event and webhook), and the old host's copy is destroyed, its ports freed only now.
 * Until the switch, a failure leaves the container where it was, running again if it ran.
 */
@Injectable()
@JobHandlerFor(JobName.MoveContainer)
export class MoveContainerJob implements JobHandler<JobName.MoveContainer> {
  private readonly logger = new Logger(MoveContainerJob.name);

  constructor(
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    private readonly containers: ContainerRecords,
    private readonly agents: AgentsService,
    private readonly hosts: HostsService,
    private readonly templates: TemplatesService,
    private readonly replicas: TemplateReplicas,
    private readonly pointCopies: PointCopies,
    private readonly transfers: TransfersService,
    private readonly previews: PreviewsService,
    private readonly events: EventsService,
    private readonly notifications: NotificationsService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.MoveContainer>): Promise<Record<string, unknown>> {
    const [from, to] = await Promise.all([
      this.hosts.get(payload.fromHostId),
      this.hosts.get(payload.hostId),
    ]);
    let container = await this.containers.get(payload.containerId);
    if (container.hostId !== from.id && container.hostId !== to.id)
      throw new Error(`container ${container.name} is on neither ${from.name} nor ${to.name}`);
    const step: StepLog = { progress: async () => undefined, log };
    let downtimeMs: number | null = null;
    try {
      if (container.hostId === from.id) {
        downtimeMs = await this.copy(container, from, to, payload, step, progress);
        container = await this.containers.get(container.id);
      }
    } catch (error) {
      await this.resumeWhereItWas(container, from, log);
      throw error;
    }
    try {
      await this.settle(container, from, to, payload, log);
    } finally {
      await this.containers.update(container.id, { state: 'ready' });
      await this.events.containerChanged(container.id);
    }
    await progress(90);
    await this.destroyOldCopy(container, from, log);
    return {
      containerId: container.id,
      fromHostId: from.id,
      hostId: to.id,
      ...(downtimeMs === null ? {} : { downtimeMs }),
    };
  }

  /** Steps 1 and 2; answers how long the servers were down for the increment. */
  private async copy(
    container: Container,
    from: Host,
    to: Host,
    { snapshots }: MoveContainerPayload,
    step: StepLog,
    progress: (percent: number) => Promise<void>,
  ): Promise<number> {
    if (from.status === 'down') throw new HostUnavailableException(from.name);
    if (to.status === 'down') throw new HostUnavailableException(to.name);
    const source = this.agents.client(from);
    const origins = await source.origins(container.id);
    for (const { templateId, version } of origins.templateVersions)
      await this.replicas.ensureVersion(templateId, to.id, version, step);
    for (const point of origins.points) await this.pointCopies.ensureOn(to.id, point, step.log);
    // Read-only previews are clones of the container's points on the old host.
    await this.previews.endForContainer(container.id);
    await progress(10);
    const subject = { kind: 'container' as const, containerId: container.id };
    await step.log(`copying container ${container.name} from host ${from.name} to ${to.name}`);
    const copied = await this.transfers.transfer(
      from,
      to,
      { ...subject, from: null, to: snapshots.copy },
      step,
    );
    await step.log(`copy sent: ${formatBytes(copied.bytes)} (${copied.bytes} bytes)`);
    faultPoint('move-container:after-copy');
    await progress(60);
    const stoppedAt = Date.now();
    await source.stopContainer(container.id);
    const increment = await this.transfers.transfer(
      from,
      to,
      { ...subject, from: snapshots.copy, to: snapshots.final },
      step,
    );
    await step.log(
      `servers stopped on ${from.name}; increment since the copy sent: ${formatBytes(increment.bytes)} (${increment.bytes} bytes)`,
    );
    await this.containers.update(container.id, { hostId: to.id });
    faultPoint('move-container:after-switch');
    return Date.now() - stoppedAt;
  }

  /** Step 3 up to the announcement: the new host's copy made its own, started, the endpoints recorded. */
  private async settle(
    container: Container,
    from: Host,
    to: Host,
    { snapshots }: MoveContainerPayload,
    log: StepLog['log'],
  ): Promise<void> {
    const target = this.agents.client(to);
    let status = await target.movedIn(container.id, {
      snapshots: [snapshots.copy, snapshots.final],
    });
    if (container.serving === 'running') status = await target.startContainer(container.id);
    const sources = await this.templates.sourcesOf(container.templateId);
    const endpoints = storedEndpoints(status.endpoints, sources, to.url);
    await this.containers.update(container.id, { endpoints });
    await log(
      `container ${container.name} is on host ${to.name}: ${endpoints.map((e) => `${e.source} at ${e.host}:${e.port ?? '-'}`).join(', ')}`,
    );
    const moved = {
      containerId: container.id,
      name: container.name,
      fromHost: from.name,
      toHost: to.name,
      endpoints: endpoints.map(({ source, host, port }) => ({ source, host, port })),
    };
    await this.events.containerMoved(moved);
    await this.notifications.notify(container.ownerIds, 'container.moved', moved);
  }

  /** The old host's copy goes (its bookmark holds first); a host that is down keeps it as an orphan to reconcile. */
  private async destroyOldCopy(
    container: Container,
    from: Host,
    log: StepLog['log'],
  ): Promise<void> {
    const old = this.agents.client(from);
    try {
      for (const bookmark of await this.bookmarks.findBy({ containerId: container.id }))
        await old.release(bookmark.id, {
          containerId: container.id,
          branchId: bookmark.branchId,
          pointId: bookmark.pointId,
        });
      await old.deleteContainer(container.id);
      await log(`the copy on host ${from.name} was destroyed; its ports are free again`);
    } catch (error) {
      await log(
        `the copy on host ${from.name} could not be destroyed (${(error as Error).message}): reconciliation lists it as an orphan`,
      );
    }
  }

  /** Before the switch: the container stays where it was, its servers running again if they ran. */
  private async resumeWhereItWas(
    container: Container,
    from: Host,
    log: StepLog['log'],
  ): Promise<void> {
    try {
      if (container.serving === 'running')
        await this.agents.client(from).startContainer(container.id);
    } catch (error) {
      this.logger.warn(`container ${container.id} could not start again on ${from.name}: ${error}`);
      await log(`its servers could not start again on ${from.name}: ${(error as Error).message}`);
    }
    await this.containers.update(container.id, { state: 'ready' });
    await this.events.containerChanged(container.id);
  }
}
