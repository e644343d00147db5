import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { BadInputException, NotFoundException } from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Diff, type DiffSide } from '../database/entities/diff.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import { PreviewsService, type PreviewTarget } from '../previews/previews.service.js';
import type { DiffResult } from './compute/compute-diff.js';
import { SESSION_KINDS } from '../previews/engine-session.js';
import type { CreateDiffDto, DiffDto } from './dto/diff.dto.js';

/** Diffs of two points (or branch heads) of a template; a diff is its creator's (and admins'). */
@Injectable()
export class DiffsService {
  constructor(
    @InjectRepository(Diff) private readonly diffs: Repository<Diff>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    private readonly access: AccessService,
    private readonly previews: PreviewsService,
    private readonly jobs: JobsService,
  ) {}

  async create(user: CurrentUser, dto: CreateDiffDto): Promise<AcceptedJobDto> {
    const from = await this.target(user, dto.from);
    const to = await this.target(user, dto.to);
    if (from.container.templateId !== to.container.templateId)
      throw new BadInputException(
        'diff.other-template',
        `${dto.from} and ${dto.to} are points of different templates`,
      );
    if (
      !(await this.sources.existsBy({
        templateId: from.container.templateId,
        kind: In([...SESSION_KINDS]),
      }))
    )
      throw new BadInputException(
        'diff.engine-unsupported',
        'compare reads PostgreSQL and MariaDB sources: this template has neither',
      );
    const id = randomUUID();
    await this.diffs.insert({
      id,
      userId: user.id,
      templateId: from.container.templateId,
      from: side(dto.from, from),
      to: side(dto.to, to),
      state: 'queued',
      progress: 0,
      result: null,
      error: null,
    });
    const accepted = await this.jobs.start(
      JobName.ComputeDiff,
      { diffId: id },
      { userId: user.id },
      { action: 'diff.create', entityType: 'diff', entityId: id, details: { ...dto } },
    );
    return { ...accepted, id };
  }

  /**
   * A bookmark or point, or a branch's head: its data now, a point the job takes first (also
   * of an inactive branch, which keeps the changes made after its last point).
   */
  private async target(user: CurrentUser, id: string): Promise<Target> {
    if (!(await this.branches.existsBy({ id }))) return this.previews.target(user, id);
    const { branch, container } = await this.access.ownedBranch(user, id);
    return {
      container,
      branchId: branch.id,
      pointId: randomUUID(),
      bookmarkId: null,
      snapshot: true,
    };
  }

  async get(user: CurrentUser, id: string): Promise<DiffDto> {
    return toDto(await this.owned(user, id));
  }

  /** Forgets the diff; a running computation sees its row gone and stops. */
  async delete(user: CurrentUser, id: string): Promise<void> {
    await this.diffs.delete({ id: (await this.owned(user, id)).id });
  }

  private async owned(user: CurrentUser, id: string): Promise<Diff> {
    const diff = await this.diffs.findOneBy({ id });
    if (!diff || (diff.userId !== user.id && !isAdmin(user)))
      throw new NotFoundException('diff', id);
    return diff;
  }
}

type Target = PreviewTarget & { snapshot?: boolean };

function side(ref: string, target: Target): DiffSide {
  return {
    ref,
    containerId: target.container.id,
    branchId: target.branchId,
    pointId: target.pointId,
    bookmarkId: target.bookmarkId,
    ...(target.snapshot ? { snapshot: true } : {}),
  };
}

function toDto(diff: Diff): DiffDto {
  const result = diff.result as DiffResult | null;
  return {
    id: diff.id,
    state: diff.state,
    progress: diff.progress,
    from: diff.from,
    to: diff.to,
    tables: result?.tables ?? [],
    schema: result?.schema ?? [],
    unchangedTables: result?.unchangedTables ?? 0,
    error: diff.error,
    createdAt: diff.createdAt.toISOString(),
  };
}
