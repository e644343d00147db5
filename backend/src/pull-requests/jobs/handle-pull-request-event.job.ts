import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { BranchesService } from '../../branches/branches.service.js';
import { AppException } from '../../common/app.exception.js';
import type { CurrentUser } from '../../common/current-user.js';
import { SecretBox } from '../../common/secret-box.js';
import { AppConfig } from '../../config/app-config.js';
import { ContainersService } from '../../containers/containers.service.js';
import { Point } from '../../database/entities/point.entity.js';
import { PullRequestConfig } from '../../database/entities/pull-request-config.entity.js';
import { PullRequestDatabase } from '../../database/entities/pull-request-database.entity.js';
import { PullRequestEvent } from '../../database/entities/pull-request-event.entity.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { UsersService } from '../../users/users.service.js';
import { ForgeComments } from '../forge-comments.js';
import { databaseName } from '../pull-request-names.js';

const POLL_MS = 500;
/** An operation still running after this is reported as such; the next event looks again. */
const WAIT_MS = 15 * 60_000;

/** What handling an event did: its final state, and the comment's text when there is news. */
interface Outcome {
  state: 'succeeded' | 'failed' | 'ignored';
  detail: string;
  comment?: string;
}

/**
 * Handles one recorded pull-request event, as the configuration's owner: makes the database
 * (open, or a matching label), resets it to its first point (new commits, when asked), deletes
 * it (close, merge); waits for the operation, then edits the pull request's one comment and
 * tells Slack. Safe to run again after a crash: the database row says what was started.
 */
@Injectable()
export class HandlePullRequestEventJob {
  constructor(
    @InjectRepository(PullRequestEvent) private readonly events: Repository<PullRequestEvent>,
    @InjectRepository(PullRequestConfig) private readonly configs: Repository<PullRequestConfig>,
    @InjectRepository(PullRequestDatabase)
    private readonly databases: Repository<PullRequestDatabase>,
    @InjectRepository(Point) private readonly points: Repository<Point>,
    private readonly containers: ContainersService,
    private readonly branches: BranchesService,
    private readonly jobs: JobsService,
    private readonly users: UsersService,
    private readonly comments: ForgeComments,
    private readonly secrets: SecretBox,
    private readonly appConfig: AppConfig,
  ) {}

  async run(eventId: string): Promise<void> {
    const event = await this.events.findOneBy({ id: eventId });
    const config = event && (await this.configs.findOneBy({ id: event.configId }));
    if (!event || !config || event.state !== 'pending' || event.number === null) return;
    const owner = await this.users.findById(config.createdById);
    let outcome: Outcome;
    if (!owner || owner.disabledAt)
      outcome = {
        state: 'failed',
        detail: "the configuration's owner no longer exists or is disabled",
      };
    else {
      const actor: CurrentUser = { id: owner.id, username: owner.username, role: owner.role };
      outcome = await this.act(actor, config, event).catch((error: unknown) => {
        const refusal = error instanceof AppException ? error.message : null;
        return {
          state: 'failed' as const,
          detail: refusal ?? 'internal error (see the server log)',
          comment: `⚠️ Branchpoint could not handle this pull request's database: ${refusal ?? 'internal error'}.`,
        };
      });
    }
    const notes = outcome.comment ? await this.tell(config, event.number, outcome.comment) : {};
    await this.events.update(event.id, {
      state: outcome.state,
      detail: outcome.detail,
      ...notes,
      finishedAt: new Date(),
    });
  }

  /** Ends an event whose every attempt failed (a crash or an outage, not a refusal). */
  async giveUp(eventId: string): Promise<void> {
    await this.events.update(
      { id: eventId, state: 'pending' },
      { state: 'failed', detail: 'internal error (see the server log)', finishedAt: new Date() },
    );
  }

  private async act(
    actor: CurrentUser,
    config: PullRequestConfig,
    event: PullRequestEvent,
  ): Promise<Outcome> {
    const number = event.number!;
    const row = await this.databases.findOneBy({ configId: config.id, number });
    const live = row && !row.deleted ? row : null;
    const labelled = config.label === null || event.labels.includes(config.label);
    switch (event.action) {
      case 'open':
      case 'label':
        if (!labelled)
          return { state: 'ignored', detail: `the pull request has no label "${config.label}"` };
        if (live?.jobId && (await this.settled(actor, live.jobId)) === 'running')
          return { state: 'ignored', detail: 'its database is still being made' };
        if (live && (await this.exists(actor, live)))
          // Made by an attempt that stopped before commenting (a restart): comment now.
          return live.commentId || !live.jobId
            ? { state: 'ignored', detail: 'the pull request has its database already' }
            : this.finish(actor, config, live, live.jobId, 'made its database');
        return this.make(actor, config, number, row);
      case 'push': {
        if (!live) return { state: 'ignored', detail: 'the pull request has no database' };
        if (!config.resetOnPush) return { state: 'ignored', detail: 'reset on new commits is off' };
        const branchId = live.branchId ?? (await this.defaultBranchOf(actor, live.containerId!));
        const first = await this.points.findOne({
          where: { branchId, type: 'created' },
          order: { createdAt: 'ASC' },
        });
        if (!first)
          return { state: 'failed', detail: 'the database has no first point to reset to' };
        const { jobId } = await this.branches.restore(actor, branchId, { pointId: first.id });
        await this.databases.update(live.id, { jobId });
        return this.finish(actor, config, live, jobId, 'reset to the bookmark after new commits');
      }
      case 'close': {
        if (!live) return { state: 'ignored', detail: 'the pull request has no database' };
        const { jobId } = live.branchId
          ? await this.branches.delete(actor, live.branchId)
          : await this.containers.delete(actor, live.containerId!);
        await this.databases.update(live.id, { deleted: true, jobId });
        const state = await this.settled(actor, jobId);
        return state === 'succeeded'
          ? {
              state: 'succeeded',
              detail: 'deleted',
              comment: '🗑️ Branchpoint deleted the database of this pull request (closed).',
            }
          : { state: 'failed', detail: `deletion ${state}` };
      }
      default:
        return { state: 'ignored', detail: 'no action' };
    }
  }

  private async make(
    actor: CurrentUser,
    config: PullRequestConfig,
    number: number,
    previous: PullRequestDatabase | null,
  ): Promise<Outcome> {
    const name = databaseName(config.repository, number);
    const expiry = config.expiresIn ? { expiresIn: config.expiresIn } : {};
    const accepted =
      config.target === 'branch'
        ? await this.branches.create(actor, config.containerId!, {
            name,
            fromBookmarkId: config.bookmarkId,
            ...expiry,
          })
        : await this.containers.create(actor, {
            name,
            templateId: config.templateId,
            fromBookmarkId: config.bookmarkId,
            ...expiry,
          });
    const row = this.databases.create({
      id: previous?.id ?? randomUUID(),
      configId: config.id,
      number,
      containerId: config.target === 'branch' ? config.containerId : accepted.id!,
      branchId: config.target === 'branch' ? accepted.id! : null,
      jobId: accepted.jobId,
      deleted: false,
      commentId: previous?.commentId ?? null,
    });
    await this.databases.save(row);
    return this.finish(actor, config, row, accepted.jobId, `made ${config.target} ${name}`);
  }

  /** Waits for the operation and words the comment: connection details, never the password. */
  private async finish(
    actor: CurrentUser,
    config: PullRequestConfig,
    row: PullRequestDatabase,
    jobId: string,
    done: string,
  ): Promise<Outcome> {
    const state = await this.settled(actor, jobId);
    if (state !== 'succeeded')
      return {
        state: 'failed',
        detail: `${done}: the operation ${state}`,
        comment: `⚠️ Branchpoint could not prepare this pull request's database (the operation ${state}).`,
      };
    const container = await this.containers.get(actor, row.containerId!);
    // The UI's address is known when single sign-on names it (BP_PUBLIC_URL).
    const publicUrl = this.appConfig.sso?.publicUrl;
    const link = publicUrl ? `${publicUrl}/containers/${container.id}` : null;
    const lines = [
      `🗄️ **Branchpoint database for this pull request** (${done}, ${new Date().toISOString()})`,
      '',
      '| source | host | port | database | user |',
      '| --- | --- | --- | --- | --- |',
      ...container.endpoints.map(
        (e) => `| ${e.source} | ${e.host} | ${e.port} | ${e.database} | ${e.username} |`,
      ),
      '',
      row.branchId
        ? `It is a branch of container \`${container.name}\`: activate it with \`branchpoint branches activate ${row.branchId}\`.`
        : `Container \`${container.name}\`${link ? `: ${link}` : ''}.`,
      `The password is not posted here (this comment is visible to the repository's readers): \`branchpoint connection-string ${container.id}\`${link ? ' or the link above' : ''} shows it to the container's owners.`,
    ];
    return { state: 'succeeded', detail: done, comment: lines.join('\n') };
  }

  private async defaultBranchOf(actor: CurrentUser, containerId: string): Promise<string> {
    const container = await this.containers.get(actor, containerId);
    return container.activeBranchId!;
  }

  /** Whether the container (or branch) still exists for its owner. */
  private async exists(actor: CurrentUser, row: PullRequestDatabase): Promise<boolean> {
    try {
      const container = await this.containers.get(actor, row.containerId!);
      return !row.branchId || container.branches.some((b) => b.id === row.branchId);
    } catch {
      return false;
    }
  }

  /** The operation's end state, waiting up to WAIT_MS ('running' past that). */
  private async settled(
    actor: CurrentUser,
    jobId: string,
  ): Promise<'succeeded' | 'failed' | 'running'> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const job = await this.jobs.get(actor, jobId).catch(() => null);
      if (!job) return 'failed';
      if (job.state === 'succeeded' || job.state === 'failed') return job.state;
      if (Date.now() > deadline) return 'running';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Edits the pull request's one comment and posts to Slack; the outcomes go on the event. */
  private async tell(config: PullRequestConfig, number: number, text: string) {
    const row = await this.databases.findOneBy({ configId: config.id, number });
    const { outcome, commentId } = await this.comments.upsert(
      config,
      this.secrets.open(config.apiToken),
      number,
      row?.commentId ?? null,
      text,
    );
    if (row && commentId && commentId !== row.commentId)
      await this.databases.update(row.id, { commentId });
    const slackOutcome = config.slackUrl
      ? await this.comments.slack(
          this.secrets.open(config.slackUrl),
          `${config.repository}#${number}: ${text.split('\n')[0]}`,
        )
      : null;
    return { commentOutcome: outcome, slackOutcome };
  }
}
