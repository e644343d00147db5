import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { Container } from '../../database/entities/container.entity.js';
import { Diff, type DiffSide } from '../../database/entities/diff.entity.js';
import type { Preview } from '../../database/entities/preview.entity.js';
import { budgetCheckpoint } from './budget-checkpoint.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { PreviewsService } from '../../previews/previews.service.js';
import { TimelineService } from '../../timeline/timeline.service.js';
import {
  combineSources,
  computeDiff,
  DiffStopped,
  type DiffResult,
} from '../compute/compute-diff.js';
import { SESSION_KINDS } from '../../previews/engine-session.js';
import { withDiffReader } from '../compute/open-diff-reader.js';
import { DIFF_BUDGET } from '../diff-budget.js';

/**
 * Takes the head point of a branch side first, then serves both points read-only (two previews of the diff's creator), compares them, keeps the
 * result, and destroys the previews whatever happened. Stops when the diff is deleted or its
 * time budget is spent.
 */
@Injectable()
@JobHandlerFor(JobName.ComputeDiff)
export class ComputeDiffJob implements JobHandler<JobName.ComputeDiff> {
  constructor(
    @InjectRepository(Diff) private readonly diffs: Repository<Diff>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly previews: PreviewsService,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.ComputeDiff>): Promise<Record<string, unknown>> {
    const diff = await this.diffs.findOneBy({ id: payload.diffId });
    if (!diff) return { diffId: payload.diffId, cancelled: true };
    await this.diffs.update(diff.id, { state: 'running', progress: 0, error: null });
    const checkpoint = budgetCheckpoint('diff', DIFF_BUDGET.seconds, () =>
      this.diffs.existsBy({ id: diff.id }),
    );
    const opened: Preview[] = [];
    try {
      const minutes = Math.ceil(DIFF_BUDGET.seconds / 60) + 5;
      for (const side of [diff.from, diff.to]) {
        const target = await this.target(side);
        if (side.snapshot)
          await this.timeline.takePoint(target.container, side.branchId, side.pointId, 'snapshot');
        opened.push(await this.previews.open(diff.userId, target, minutes));
      }
      const [from, to] = await Promise.all(
        opened.map((preview) => this.previews.serve(preview.id)),
      );
      await log(`comparing point ${diff.from.pointId} with point ${diff.to.pointId}`);
      const fromServers = await this.previews.readerSessions(from!, SESSION_KINDS);
      const toServers = await this.previews.readerSessions(to!, SESSION_KINDS);
      const parts: { source: string; result: DiffResult }[] = [];
      for (const [index, side] of fromServers.entries()) {
        const other = toServers.find((server) => server.source === side.source);
        if (!other) continue;
        const result = await withDiffReader(side.kind, side.target, (fromReader) =>
          withDiffReader(other.kind, other.target, (toReader) =>
            computeDiff(
              { from: fromReader, to: toReader },
              DIFF_BUDGET,
              checkpoint,
              async (part) => {
                const percent = Math.round((index * 100 + part) / fromServers.length);
                await this.diffs.update(diff.id, { progress: percent });
                await progress(percent);
              },
            ),
          ),
        );
        parts.push({ source: side.source, result });
      }
      const result = combineSources(parts);
      await this.diffs.update(diff.id, {
        state: 'succeeded',
        progress: 100,
        result: { ...result },
      });
      await log(`${result.tables.length} tables differ, ${result.unchangedTables} do not`);
      return { diffId: diff.id, tables: result.tables.length };
    } catch (error) {
      const stopped = error instanceof DiffStopped;
      await this.diffs.update(diff.id, {
        state: stopped ? 'stopped' : 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      if (!stopped) throw error;
      await log(`diff ${error.message}`);
      return { diffId: diff.id, stopped: error.message };
    } finally {
      for (const preview of opened) await this.previews.destroy(preview).catch(() => undefined);
    }
  }

  private async target(side: DiffSide) {
    const container = await this.containers.findOneByOrFail({ id: side.containerId });
    return {
      container,
      branchId: side.branchId,
      pointId: side.pointId,
      bookmarkId: side.bookmarkId,
    };
  }
}
