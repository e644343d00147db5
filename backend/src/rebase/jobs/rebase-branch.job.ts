import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Repository } from 'typeorm';
import { AgentsService } from '../../agents/agents.service.js';
import { SecretBox } from '../../common/secret-box.js';
import { Branch } from '../../database/entities/branch.entity.js';
import { Container } from '../../database/entities/container.entity.js';
import type { Preview } from '../../database/entities/preview.entity.js';
import { Rebase } from '../../database/entities/rebase.entity.js';
import { DiffStopped } from '../../diffs/compute/compute-diff.js';
import { EventsService } from '../../events/events.service.js';
import { budgetCheckpoint } from '../../diffs/jobs/budget-checkpoint.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { sessionTarget, withSession } from '../../previews/preview-reader.js';
import { PreviewsService } from '../../previews/previews.service.js';
import { TimelineService } from '../../timeline/timeline.service.js';
import { REBASE_BUDGET } from '../rebase-budget.js';
import { replayChanges } from '../replay/replay.js';

/**
 * Makes the new branch from the target version, takes the head point of the rebased branch,
 * serves the base point, the head and the new branch's first point read-only (previews of the
 * rebase's creator), activates the new branch and replays the change set on it as the
 * container's owner role, then takes a point of the result. The previews go whatever happened;
 * the new branch stays (with what was replayed) when the rebase stops or fails midway.
 */
@Injectable()
@JobHandlerFor(JobName.RebaseBranch)
export class RebaseBranchJob implements JobHandler<JobName.RebaseBranch> {
  constructor(
    @InjectRepository(Rebase) private readonly rebases: Repository<Rebase>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly previews: PreviewsService,
    private readonly timeline: TimelineService,
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly secrets: SecretBox,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.RebaseBranch>): Promise<Record<string, unknown>> {
    const rebase = await this.rebases.findOneBy({ id: payload.rebaseId });
    if (!rebase) return { rebaseId: payload.rebaseId, cancelled: true };
    await this.rebases.update(rebase.id, { state: 'running', progress: 0, error: null });
    const checkpoint = budgetCheckpoint('rebase', REBASE_BUDGET.seconds, () =>
      this.rebases.existsBy({ id: rebase.id }),
    );
    const report = async (percent: number) => {
      await this.rebases.update(rebase.id, { progress: percent });
      await progress(percent);
    };
    const opened: Preview[] = [];
    try {
      const container = await this.containers.findOneByOrFail({ id: rebase.containerId });
      const agent = await this.agents.forHostOf(container);
      await this.makeNewBranch(container, rebase);
      await log(`branch ${rebase.newBranchId} made from template version ${rebase.targetVersion}`);
      await this.timeline.takePoint(container, rebase.branchId, rebase.headPointId, 'snapshot');
      await report(10);
      await checkpoint();
      const minutes = Math.ceil(REBASE_BUDGET.seconds / 60) + 5;
      const points = [
        [rebase.branchId, rebase.basePointId],
        [rebase.branchId, rebase.headPointId],
        [rebase.newBranchId, rebase.newBasePointId],
      ] as const;
      for (const [branchId, pointId] of points)
        opened.push(
          await this.previews.open(
            rebase.userId,
            { container, branchId, pointId, bookmarkId: null },
            minutes,
          ),
        );
      const served = await Promise.all(opened.map((preview) => this.previews.serve(preview.id)));
      await report(20);
      await checkpoint();
      // Only the active branch is served at the container's endpoints: the new branch becomes it.
      await agent.activate(container.id, { branchId: rebase.newBranchId });
      await this.containers.update(container.id, {
        activeBranchId: rebase.newBranchId,
        serving: 'running',
        lastActivityAt: new Date(),
      });
      await this.events.containerChanged(container.id);
      await log(
        `branch ${rebase.newBranchId} is active; replaying the changes of ${rebase.branchId}`,
      );
      const result = await this.withOwner(container, (target) =>
        this.previews.withReader(served[0]!, (base) =>
          this.previews.withReader(served[1]!, (head) =>
            this.previews.withReader(served[2]!, (next) =>
              replayChanges({ base, head, next, target }, REBASE_BUDGET, checkpoint, (percent) =>
                report(20 + Math.round(percent * 0.75)),
              ),
            ),
          ),
        ),
      );
      await this.timeline.takePoint(container, rebase.newBranchId, randomUUID(), 'snapshot');
      await this.rebases.update(rebase.id, {
        state: 'succeeded',
        progress: 100,
        result: { ...result },
      });
      const rows = result.tables.reduce((n, t) => n + t.inserted + t.updated + t.deleted, 0);
      await log(
        `${result.schema.length} schema changes and ${rows} row changes applied, ${result.conflictCount} conflicts, ${result.skippedCount} skipped`,
      );
      return { rebaseId: rebase.id, newBranchId: rebase.newBranchId };
    } catch (error) {
      const stopped = error instanceof DiffStopped;
      await this.rebases.update(rebase.id, {
        state: stopped ? 'stopped' : 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      await this.branches.update(
        { id: rebase.newBranchId, state: 'creating' },
        { state: 'failed' },
      );
      if (!stopped) throw error;
      await log(`rebase ${error.message}`);
      return { rebaseId: rebase.id, stopped: error.message };
    } finally {
      for (const preview of opened) await this.previews.destroy(preview).catch(() => undefined);
      await this.events.containerChanged(rebase.containerId);
    }
  }

  /** The new branch, cloned from the target version, with its first point (once). */
  private async makeNewBranch(container: Container, rebase: Rebase): Promise<void> {
    const branch = await this.branches.findOneByOrFail({ id: rebase.newBranchId });
    if (branch.state === 'ready') return;
    await (
      await this.agents.forHostOf(container)
    ).createBranch(container.id, branch.id, {
      origin: { kind: 'template', templateId: container.templateId, version: rebase.targetVersion },
    });
    await this.timeline.takeFirstPoint(container, branch.id, rebase.newBasePointId, {
      kind: 'template',
      version: rebase.targetVersion,
    });
    await this.branches.update(branch.id, { state: 'ready' });
    await this.events.containerChanged(container.id);
  }

  /** A session of the container's (first) database as its owner role, over verified TLS. */
  private async withOwner<T>(container: Container, work: (client: pg.Client) => Promise<T>) {
    const endpoint = container.endpoints[0];
    if (!endpoint?.port || !endpoint.username)
      throw new Error(`container ${container.id} has no database endpoint`);
    const agent = await this.agents.forHostOf(container);
    const password = this.secrets.open(container.password);
    return withSession(
      sessionTarget(
        { ...endpoint, port: endpoint.port, username: endpoint.username },
        password,
        (await agent.cloneCa()).certificate,
      ),
      work,
    );
  }
}
