import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { RestoreRequest, TimelineStepIds } from '@branchpoint/contracts';
import { In, Not, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { ConflictException, NotFoundException } from '../common/app.exception.js';
import { faultPoint } from '../common/fault-point.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import { Point, type PointType } from '../database/entities/point.entity.js';
import { EventsService } from '../events/events.service.js';

/** What a branch's data is replaced with: a point of a branch of the same container, or a template version. */
export type RestoreSource =
  | { kind: 'point'; branchId: string; pointId: string }
  | { kind: 'template'; templateId: string; version: string };

/** What data is a copy of, as far as its template version goes: a point, or a template version. */
export type DataOrigin = { kind: 'point'; pointId: string } | { kind: 'template'; version: string };

/** Operations whose effect undo reverses; each records the point taken just before it. */
export const UNDOABLE_TYPES: PointType[] = ['restore', 'reset', 'refresh', 'undo', 'settings'];

/**
 * Timeline points and the one step every restore-like operation shares. Every step is safe
 * to repeat: the agent calls are idempotent and rows are written with the ids from the job.
 * It also keeps the template version of each branch's data and of each point, since every
 * operation that moves data goes through here.
 */
@Injectable()
export class TimelineService {
  constructor(
    @InjectRepository(Point) private readonly points: Repository<Point>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
  ) {}

  /** Snapshots the branch as point `pointId` and records it (once), with the branch's version. */
  async takePoint(
    container: Container,
    branchId: string,
    pointId: string,
    type: PointType,
    extra: Partial<Point> = {},
    holdTag?: string,
  ): Promise<Point> {
    // With holdTag the agent holds the new point in the same call (a bookmark's point).
    await (
      await this.agents.forHostOf(container)
    ).createPoint(container.id, branchId, pointId, holdTag);
    faultPoint('point:after-snapshot');
    return this.recordPoint(container, branchId, pointId, type, extra);
  }

  /**
   * Records point `pointId` (once), with the branch's version (read unless the caller knows it,
   * in `extra`); its snapshot exists already.
   */
  private async recordPoint(
    container: Container,
    branchId: string,
    pointId: string,
    type: PointType,
    extra: Partial<Point>,
  ): Promise<Point> {
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
        templateVersion: extra.templateVersion ?? (await this.branchVersion(branchId)),
      }),
    );
    await this.events.timelineChanged(container.id, branchId);
    return point;
  }

  /**
   * Records a new branch's first point; its data, and so its version, is a copy of `origin`.
   * `snapshotTaken`: the agent took it when it created the branch (createBranch `firstPointId`).
   */
  async takeFirstPoint(
    container: Container,
    branchId: string,
    pointId: string,
    origin: DataOrigin,
    { snapshotTaken = false } = {},
  ): Promise<Point> {
    const templateVersion = await this.versionOf(origin);
    await this.branches.update(branchId, { templateVersion });
    // The branch's version is the one just written: not read back for the point.
    if (snapshotTaken)
      return this.recordPoint(container, branchId, pointId, 'created', { templateVersion });
    return this.takePoint(container, branchId, pointId, 'created', { templateVersion });
  }

  /**
   * Replaces the branch's data with a clone of `source`: a point before (so undo can return),
   * the new generation, and a point after of `type` (so reset returns to the new state). The
   * branch and the point after take the source's template version.
   */
  async replaceData(
    container: Container,
    ids: TimelineStepIds,
    source: RestoreSource,
    type: PointType,
    progress: (percent: number) => Promise<void>,
  ): Promise<void> {
    await this.undoableStep(
      container,
      ids,
      type,
      async () => {
        const version = await this.versionOf(source);
        await progress(30);
        // The agent takes the point after too, before the servers start again (no CHECKPOINT).
        await (
          await this.agents.forHostOf(container)
        ).restore(container.id, ids.branchId, ids.generationId, {
          ...restoreRequest(source, ids.branchId),
          afterPointId: ids.afterPointId,
        });
        faultPoint('restore:after-agent');
        await progress(80);
        await this.branches.update(ids.branchId, { templateVersion: version });
      },
      { afterPointTaken: true },
    );
  }

  /**
   * What every undoable operation shares: a point before (what undo returns to), the change,
   * then a point after of `type` that names the point before (what reset returns to);
   * `afterPointTaken`: the change took the point after's snapshot itself, it is only recorded.
   */
  async undoableStep<T>(
    container: Container,
    ids: Pick<TimelineStepIds, 'branchId' | 'beforePointId' | 'afterPointId'>,
    type: PointType,
    change: () => Promise<T>,
    { afterPointTaken = false } = {},
  ): Promise<T> {
    await this.takePoint(container, ids.branchId, ids.beforePointId, 'snapshot');
    const result = await change();
    const after = { undoPointId: ids.beforePointId };
    if (afterPointTaken)
      await this.recordPoint(container, ids.branchId, ids.afterPointId, type, after);
    else await this.takePoint(container, ids.branchId, ids.afterPointId, type, after);
    return result;
  }

  /** One page of the branch's points, oldest first. */
  page(branchId: string, page: PageQueryDto): Promise<Page<Point>> {
    const query = this.points
      .createQueryBuilder('p')
      .where('p."branchId" = :branchId', { branchId });
    return paginate(query, page, { direction: 'ASC' });
  }

  list(branchId: string): Promise<Point[]> {
    return this.points.find({ where: { branchId }, order: { createdAt: 'ASC' } });
  }

  find(id: string): Promise<Point | null> {
    return this.points.findOneBy({ id });
  }

  findMany(ids: string[]): Promise<Point[]> {
    return ids.length > 0 ? this.points.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** The template version the data of `origin` derives from. */
  async versionOf(origin: DataOrigin): Promise<string> {
    if (origin.kind === 'template') return origin.version;
    const point = await this.points.findOneBy({ id: origin.pointId });
    if (!point) throw new NotFoundException('point', origin.pointId);
    return point.templateVersion;
  }

  /** The template version of the branch's current data. */
  async branchVersion(branchId: string): Promise<string> {
    const branch = await this.branches.findOneBy({ id: branchId });
    if (!branch) throw new NotFoundException('branch', branchId);
    return branch.templateVersion;
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
    if (!point)
      throw new ConflictException(
        'timeline.nothing-to-reset',
        'the branch has no point to reset to',
      );
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
        'timeline.nothing-to-undo',
        'nothing to undo: no restore, reset, refresh, undo or settings change on the active branch',
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
