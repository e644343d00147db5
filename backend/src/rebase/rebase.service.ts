import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Rebase } from '../database/entities/rebase.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { ExpirySettingsService } from '../settings/expiry-settings.service.js';
import { TimelineService } from '../timeline/timeline.service.js';
import type { RebaseBranchDto, RebaseDto } from './dto/rebase.dto.js';
import type { ReplayResult } from './replay/replay.js';

/**
 * Rebases: a branch's changes since its first point carried onto a new branch of a newer
 * template version. The branch itself stays; a rebase is its creator's (and admins').
 */
@Injectable()
export class RebaseService {
  constructor(
    @InjectRepository(Rebase) private readonly rebases: Repository<Rebase>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(TemplateVersion) private readonly versions: Repository<TemplateVersion>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    private readonly access: AccessService,
    private readonly timeline: TimelineService,
    private readonly quotas: QuotasService,
    private readonly expiry: ExpirySettingsService,
    private readonly jobs: JobsService,
  ) {}

  async create(user: CurrentUser, branchId: string, dto: RebaseBranchDto): Promise<AcceptedJobDto> {
    const { branch, container } = await this.access.operableBranch(user, branchId);
    const sources = await this.sources.findBy({ templateId: container.templateId });
    if (sources.length !== 1 || sources[0]!.kind !== 'postgres')
      throw new BadInputException(
        'rebase.engine-unsupported',
        'rebase replays PostgreSQL: only templates with one PostgreSQL source can be rebased',
      );
    // The changes are measured from the branch's first point; a restore or refresh since
    // replaced its data, and with it what "its changes" would mean.
    const [base] = await this.timeline.list(branch.id);
    if (!base || base.templateVersion !== branch.templateVersion)
      throw new ConflictException(
        'rebase.no-base',
        `branch "${branch.name}" has no first point of its current data (it was restored or refreshed); its changes cannot be told apart`,
      );
    const target = await this.targetVersion(container.templateId, dto.templateVersion);
    if (target.number <= versionNumber(base.templateVersion))
      throw new ConflictException(
        'rebase.not-newer',
        `branch "${branch.name}" derives from ${base.templateVersion}; ${target.version} is not newer`,
      );
    const name = dto.name ?? `${branch.name}-${target.version}`.slice(0, 128);
    if (await this.branches.existsBy({ containerId: container.id, name }))
      throw new ConflictException(
        'branch.exists',
        `branch "${name}" already exists in this container; give the rebase another name`,
      );
    const expiresAt = await this.expiry.expiryOnCreate(user, 'branch', {});
    const demand = { kind: 'branchesPerContainer', containerId: container.id } as const;
    const newBranch = await this.quotas.withinQuota(user, [demand], () =>
      this.branches.save(
        this.branches.create({
          id: randomUUID(),
          containerId: container.id,
          name,
          state: 'creating',
          templateVersion: target.version,
          originPointId: null,
          originContainerId: null,
          originBookmarkId: null,
          createdById: user.id,
          expiresAt,
          expiryWarnedAt: null,
          protected: false,
          expiryBlockedReason: null,
        }),
      ),
    );
    const id = randomUUID();
    await this.rebases.insert({
      id,
      userId: user.id,
      containerId: container.id,
      branchId: branch.id,
      basePointId: base.id,
      headPointId: randomUUID(),
      snapshotHead: true,
      baseVersion: base.templateVersion,
      targetVersion: target.version,
      newBranchId: newBranch.id,
      newBasePointId: randomUUID(),
      state: 'queued',
      progress: 0,
      result: null,
      error: null,
    });
    const accepted = await this.jobs.start(
      JobName.RebaseBranch,
      { rebaseId: id },
      { userId: user.id, containerId: container.id },
      {
        action: 'branch.rebase',
        entityType: 'branch',
        entityId: branch.id,
        details: { rebaseId: id, newBranchId: newBranch.id, templateVersion: target.version },
      },
    );
    return { ...accepted, id };
  }

  async get(user: CurrentUser, id: string): Promise<RebaseDto> {
    return toDto(await this.owned(user, id));
  }

  /** Forgets the rebase; a running replay sees its row gone and stops (the new branch stays). */
  async delete(user: CurrentUser, id: string): Promise<void> {
    await this.rebases.delete({ id: (await this.owned(user, id)).id });
  }

  private async targetVersion(templateId: string, asked: string | undefined) {
    const version = await this.versions.findOne({
      where: asked
        ? { templateId, state: 'ready', number: versionNumber(asked) }
        : { templateId, state: 'ready' },
      order: { number: 'DESC' },
    });
    if (!version)
      throw new BadInputException(
        'rebase.version-unknown',
        asked ? `the template has no ready version ${asked}` : 'the template has no ready version',
      );
    return version;
  }

  private async owned(user: CurrentUser, id: string): Promise<Rebase> {
    const rebase = await this.rebases.findOneBy({ id });
    if (!rebase || (rebase.userId !== user.id && !isAdmin(user)))
      throw new NotFoundException('rebase', id);
    return rebase;
  }
}

/** `v7` -> 7. */
function versionNumber(version: string): number {
  return Number(version.slice(1));
}

function toDto(rebase: Rebase): RebaseDto {
  const result = rebase.result as ReplayResult | null;
  return {
    id: rebase.id,
    state: rebase.state,
    progress: rebase.progress,
    containerId: rebase.containerId,
    branchId: rebase.branchId,
    newBranchId: rebase.newBranchId,
    basePointId: rebase.basePointId,
    headPointId: rebase.headPointId,
    baseVersion: rebase.baseVersion,
    targetVersion: rebase.targetVersion,
    schema: result?.schema ?? [],
    tables: result?.tables ?? [],
    conflicts: result?.conflicts ?? [],
    conflictCount: result?.conflictCount ?? 0,
    skipped: result?.skipped ?? [],
    skippedCount: result?.skippedCount ?? 0,
    error: rebase.error,
    createdAt: rebase.createdAt.toISOString(),
  };
}
