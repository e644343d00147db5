import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { RestoreRequest, TimelineStepIds } from '@branchpoint/contracts';
import { In, Not, type Repository } from 'typeorm';
import type { AgentClient } from '../agents/agent.client.js';
import { AgentsService } from '../agents/agents.service.js';
import { ConflictException } from '../common/app.exception.js';
import type { Container } from '../containers/container.entity.js';
import { EventsService } from '../events/events.service.js';
import { HostsService } from '../hosts/hosts.service.js';
import { Point, type PointType } from './point.entity.js';

/** What a branch's data is replaced with: a point of a branch of the same container, or a template version. */
export type RestoreSource =
  | { kind: 'point'; branchId: string; pointId: string }
  | { kind: 'template'; templateId: string; version: string };

/** Operations whose effect undo reverses; each records the point taken just before it. */
export const UNDOABLE_TYPES: PointType[] = ['restore', 'reset', 'refresh', 'undo'];

/**
 * Timeline points and the one step every restore-like operation shares. Every step is safe
 * to repeat: the agent calls are idempotent and rows are written with the ids from the job.
 */
@Injectable()
export class TimelineService {
  constructor(
    @InjectRepository(Point) private readonly points: Repository<Point>,
    private readonly agents: AgentsService,
    private readonly hosts: HostsService,
    private readonly events: EventsService,
  ) {}

  async agentFor(container: Container): Promise<AgentClient> {
    return this.agents.client(await this.hosts.get(container.hostId));
  }

  /** Snapshots the branch as point `pointId` and records it (once). */
  async takePoint(
    container: Container,
    branchId: string,
    pointId: string,
    type: PointType,
    extra: Partial<Point> = {},
  ): Promise<Point> {
    await (await this.agentFor(container)).createPoint(container.id, branchId, pointId);
    const existing = await this.points.findOneBy({ id: pointId });
    if (existing) return existing;
    const point = await this.points.save(
      this.points.create({
        id: pointId,
        branchId,
        containerId: container.id,
        type,
        bookmarkId: null,
        undoPointId: null,
        createdAt: new Date(),
        ...extra,
      }),
    );
    await this.events.timelineChanged(container.id, branchId);
    return point;
  }

  /**
   * Replaces the branch's data with a clone of `source`: a point before (so undo can return),
   * the new generation, and a point after of `type` (so reset returns to the new state).
   */
  async replaceData(
    container: Container,
    ids: TimelineStepIds,
    source: RestoreSource,
    type: PointType,
    progress: (percent: number) => Promise<void>,
  ): Promise<void> {
    await this.takePoint(container, ids.branchId, ids.beforePointId, 'snapshot');
    await progress(30);
    await (
      await this.agentFor(container)
    ).restore(container.id, ids.branchId, ids.generationId, restoreRequest(source, ids.branchId));
    await progress(80);
    await this.takePoint(container, ids.branchId, ids.afterPointId, type, {
      undoPointId: ids.beforePointId,
    });
  }

  list(branchId: string): Promise<Point[]> {
    return this.points.find({ where: { branchId }, order: { createdAt: 'ASC' } });
  }

  find(id: string): Promise<Point | null> {
    return this.points.findOneBy({ id });
  }

  /** The newest point of the branch other than the operation's own points: what reset returns to. */
  async lastPoint(
    branchId: string,
    ids: Pick<TimelineStepIds, 'beforePointId' | 'afterPointId'>,
  ): Promise<Point> {
    const point = await this.points.findOne({
      where: { branchId, id: Not(In([ids.beforePointId, ids.afterPointId])) },
      order: { createdAt: 'DESC' },
    });
    if (!point) throw new ConflictException('the branch has no point to reset to');
    return point;
  }

  /** The point the last undoable operation on the branch started from: what undo returns to. */
  async undoTarget(branchId: string, ownAfterPointId?: string): Promise<Point> {
    const last = await this.points.findOne({
      where: {
        branchId,
        type: In(UNDOABLE_TYPES),
        ...(ownAfterPointId ? { id: Not(ownAfterPointId) } : {}),
      },
      order: { createdAt: 'DESC' },
    });
    const target = last?.undoPointId ? await this.points.findOneBy({ id: last.undoPointId }) : null;
    if (!target)
      throw new ConflictException(
        'nothing to undo: no restore, reset, refresh or undo on the active branch',
      );
    return target;
  }

  async setBookmark(pointId: string, bookmarkId: string | null): Promise<void> {
    await this.points.update(pointId, { bookmarkId });
  }

  async deleteOfBranch(branchId: string): Promise<void> {
    await this.points.delete({ branchId });
  }

  async deleteOfContainer(containerId: string): Promise<void> {
    await this.points.delete({ containerId });
  }
}

/** The agent's restore body; a point's branch is named only when it is not the restored one. */
function restoreRequest(source: RestoreSource, branchId: string): RestoreRequest {
  if (source.kind === 'template')
    return { fromTemplate: { templateId: source.templateId, version: source.version } };
  return {
    fromPointId: source.pointId,
    ...(source.branchId === branchId ? {} : { fromBranchId: source.branchId }),
  };
}
