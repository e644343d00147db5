import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@branchpoint/contracts';
import { ContainerRecords } from '../access/container-records.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point, PointType } from '../database/entities/point.entity.js';
import type { JobContext, JobHandler } from '../jobs/job-handler.js';
import { TimelineService, type RestoreSource } from './timeline.service.js';

/** The jobs whose one step is TimelineService.replaceData. */
export type ReplaceDataJobName =
  JobName.RestoreBranch | JobName.ResetBranch | JobName.UndoContainer | JobName.RefreshContainer;

/** Where a restore-style job takes the branch's data from, and what its log and result say. */
export interface Replacement {
  source: RestoreSource;
  /** The job's log line once the data is replaced. */
  done: string;
  /** Added to the job's result beside the point after (`pointId`). */
  result?: Record<string, unknown>;
}

/**
 * Restore, reset, undo and refresh: the branch's data becomes a clone of a source, between a
 * point before (what undo returns to) and a point after of `pointType`. A job only says where
 * its data comes from; loading the container, the step, the log and the result are shared.
 */
@Injectable()
export abstract class ReplaceDataJob<N extends ReplaceDataJobName> implements JobHandler<N> {
  protected abstract readonly pointType: PointType;

  constructor(
    protected readonly containers: ContainerRecords,
    protected readonly timeline: TimelineService,
  ) {}

  protected abstract replacement(
    payload: JobPayloads[N],
    container: Container,
  ): Promise<Replacement>;

  async run({ payload, progress, log }: JobContext<N>): Promise<Record<string, unknown>> {
    const container = await this.containers.get(payload.containerId);
    const { source, done, result } = await this.replacement(payload, container);
    await this.timeline.replaceData(container, payload, source, this.pointType, progress);
    await log(done);
    return { pointId: payload.afterPointId, ...result };
  }
}

/** A point (of any branch of the container) as the source of a replacement. */
export function pointSource(point: Pick<Point, 'id' | 'branchId'>): RestoreSource {
  return { kind: 'point', pointId: point.id, branchId: point.branchId };
}
