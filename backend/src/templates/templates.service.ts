import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import { CatalogChanges } from '../common/catalog-changes.js';
import { withoutPassword } from '../common/connection-string.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { NAME_ORDER, paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { resealStored } from '../common/reseal-stored.js';
import { SecretBox } from '../common/secret-box.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template, type TemplateHooks } from '../database/entities/template.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService, type AuditEntry } from '../jobs/jobs.service.js';
import type {
  CreateTemplateDto,
  TemplateDetailDto,
  TemplateDto,
  TemplateOwnerOptionsDto,
  TemplateVersionDto,
  UpdateTemplateDto,
} from './dto/template.dto.js';
import { TemplateHostsService } from './template-hosts.service.js';

/**
 * Templates are visible to every user (they create containers from them); admins manage them
 * and alone see where their sources are, their hooks and why an ingest failed. Source
 * connection strings are stored sealed with BP_SECRET_KEY.
 */
@Injectable()
export class TemplatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TemplatesService.name);

  constructor(
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    @InjectRepository(TemplateVersion) private readonly versions: Repository<TemplateVersion>,
    private readonly dataSource: DataSource,
    private readonly hosts: HostsService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly catalogChanges: CatalogChanges,
    private readonly secrets: SecretBox,
    private readonly templateHosts: TemplateHostsService,
  ) {}

  /** Seals stored connection strings with the current key (after BP_SECRET_KEY was rotated). */
  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.sources, 'connectionString', this.secrets, this.logger);
  }

  /** Registers the template and its sources, then ingests version v1 as a job. */
  async create(user: CurrentUser, dto: CreateTemplateDto): Promise<AcceptedJobDto> {
    assertOwnerOptionsAllowed(user, dto);
    const names = dto.sources.map((s) => s.name);
    if (new Set(names).size !== names.length)
      throw new BadInputException(
        'template.invalid',
        'source names must be unique within a template',
      );
    await this.hosts.get(dto.hostId).catch(() => {
      throw new BadInputException('host.unknown', `host ${dto.hostId} does not exist`);
    });
    if (await this.templates.existsBy({ name: dto.name }))
      throw new ConflictException('template.exists', `template "${dto.name}" already exists`);
    const template = this.templates.create({
      id: randomUUID(),
      name: dto.name,
      hostId: dto.hostId,
      createdById: user.id,
      hooks: dto.hooks ?? {},
      ownerSuperuser: dto.ownerSuperuser ?? false,
      keepRoles: uniqueRoles(dto.keepRoles ?? []),
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.save(template);
      await manager.save(
        dto.sources.map((source, position) =>
          manager.create(TemplateSource, {
            id: randomUUID(),
            templateId: template.id,
            position,
            name: source.name,
            kind: source.kind,
            // A directory's location is its path; both stay sealed.
            connectionString: this.secrets.seal(
              (source.kind === 'directory' ? source.path : source.connectionString) ?? '',
            ),
          }),
        ),
      );
    });
    const accepted = await this.startVersion(user, template.id, {
      action: 'template.create',
      entityType: 'template',
      entityId: template.id,
      details: {
        name: dto.name,
        sources: names,
        hooks: hookCounts(dto.hooks ?? {}),
        ownerSuperuser: template.ownerSuperuser,
        keepRoles: template.keepRoles,
      },
    });
    return { ...accepted, id: template.id };
  }

  /** Ingests the sources again as the next version. */
  async refresh(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    await this.template(id);
    const ingesting = await this.versions.existsBy({ templateId: id, state: 'ingesting' });
    if (ingesting)
      throw new ConflictException(
        'template.ingesting',
        `template ${id} is already ingesting a version`,
      );
    return this.startVersion(user, id, {
      action: 'template.refresh',
      entityType: 'template',
      entityId: id,
    });
  }

  /**
   * Replaces the hooks (versions already ingested keep what the old ones made) and the owner
   * options (containers already made keep theirs).
   */
  async update(user: CurrentUser, id: string, dto: UpdateTemplateDto): Promise<TemplateDetailDto> {
    assertOwnerOptionsAllowed(user, dto);
    const template = await this.template(id);
    const changes: Partial<Template> = {
      ...(dto.hooks !== undefined ? { hooks: dto.hooks } : {}),
      ...(dto.ownerSuperuser !== undefined ? { ownerSuperuser: dto.ownerSuperuser } : {}),
      ...(dto.keepRoles !== undefined ? { keepRoles: uniqueRoles(dto.keepRoles) } : {}),
    };
    if (Object.keys(changes).length === 0)
      throw new BadInputException(
        'template.invalid',
        'give hooks, ownerSuperuser or keepRoles to change',
      );
    await this.templates.update({ id }, changes);
    await this.audit.record(user.id, 'template.update', 'template', template.id, {
      ...(changes.hooks ? { hooks: hookCounts(changes.hooks) } : {}),
      ...(changes.ownerSuperuser !== undefined ? { ownerSuperuser: changes.ownerSuperuser } : {}),
      ...(changes.keepRoles ? { keepRoles: changes.keepRoles } : {}),
    });
    this.catalogChanges.changed({ templateId: id });
    return this.get(user, id);
  }

  /** A page of every template, by name; see the class for what only admins see. */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<TemplateDto>> {
    const found = await paginate(this.templates.createQueryBuilder('t'), page, NAME_ORDER);
    return found.map((templates) =>
      Promise.all(
        templates.map(async (template) =>
          this.toDto(user, template, await this.versionsOf(template.id)),
        ),
      ),
    );
  }

  /** One template with its versions (and, for admins, its hooks and ingest errors). */
  async get(user: CurrentUser, id: string): Promise<TemplateDetailDto> {
    const template = await this.template(id);
    const versions = await this.versionsOf(id);
    return {
      ...(await this.toDto(user, template, versions)),
      versions: versions.map((v) => toVersionDto(user, v)),
      ...(isAdmin(user) ? { hooks: template.hooks } : {}),
    };
  }

  /** The template's sources with their connection strings opened, for the agent's ingest. */
  async sourcesToIngest(templateId: string): Promise<TemplateSource[]> {
    return (await this.sourcesOf(templateId)).map((s) => ({
      ...s,
      connectionString: this.secrets.open(s.connectionString),
    }));
  }

  async template(id: string): Promise<Template> {
    const template = await this.templates.findOneBy({ id });
    if (!template) throw new NotFoundException('template', id);
    return template;
  }

  /** The template's sources as stored (connection strings sealed). */
  sourcesOf(templateId: string): Promise<TemplateSource[]> {
    return this.sources.find({ where: { templateId }, order: { position: 'ASC' } });
  }

  /** The newest version containers can be made from. */
  async latestReadyVersion(templateId: string): Promise<TemplateVersion | null> {
    return this.versions.findOne({
      where: { templateId, state: 'ready' },
      order: { number: 'DESC' },
    });
  }

  async setVersionState(
    templateId: string,
    version: string,
    state: TemplateVersion['state'],
    error: string | null,
  ): Promise<void> {
    await this.versions.update({ templateId, number: Number(version.slice(1)) }, { state, error });
  }

  /** Records the next version as ingesting and starts its ingest. */
  private async startVersion(
    user: CurrentUser,
    templateId: string,
    audit: AuditEntry,
  ): Promise<AcceptedJobDto> {
    const last = await this.versions.findOne({ where: { templateId }, order: { number: 'DESC' } });
    const version = await this.versions.save(
      this.versions.create({
        id: randomUUID(),
        templateId,
        number: (last?.number ?? 0) + 1,
        state: 'ingesting',
        error: null,
      }),
    );
    return this.jobs.start(
      JobName.IngestTemplateVersion,
      { templateId, version: version.version },
      { userId: user.id, templateId },
      audit,
    );
  }

  private versionsOf(templateId: string): Promise<TemplateVersion[]> {
    return this.versions.find({ where: { templateId }, order: { number: 'ASC' } });
  }

  private async toDto(
    user: CurrentUser,
    template: Template,
    versions: TemplateVersion[],
  ): Promise<TemplateDto> {
    const latest = [...versions].reverse().find((v) => v.state === 'ready') ?? null;
    const sources = await this.sourcesOf(template.id);
    return {
      id: template.id,
      name: template.name,
      hostId: template.hostId,
      // A failed send's error names hosts and commands: admins' to see, as ingest errors are.
      hosts: (await this.templateHosts.describe(template, latest?.number ?? null)).map(
        ({ error, ...host }) => (isAdmin(user) ? { ...host, error } : host),
      ),
      sources: sources.map((s) => ({
        id: s.id,
        name: s.name,
        kind: s.kind,
        ...(isAdmin(user)
          ? { connectionString: withoutPassword(this.secrets.open(s.connectionString)) }
          : {}),
      })),
      latestVersion: latest ? toVersionDto(user, latest) : null,
      ownerSuperuser: template.ownerSuperuser,
      keepRoles: template.keepRoles,
      createdAt: template.createdAt,
    };
  }
}

function toVersionDto(user: CurrentUser, version: TemplateVersion): TemplateVersionDto {
  return {
    id: version.id,
    version: version.version,
    state: version.state,
    ...(isAdmin(user) ? { error: version.error } : {}),
    createdAt: version.createdAt,
  };
}

/** A superuser owner weakens what a container's owner cannot do: only admins may ask for it. */
export function assertOwnerOptionsAllowed(user: CurrentUser, dto: TemplateOwnerOptionsDto): void {
  if (dto.ownerSuperuser && !isAdmin(user))
    throw new ForbiddenException(
      'template.owner-superuser-admin-only',
      'only admins may set ownerSuperuser',
    );
}

function uniqueRoles(roles: string[]): string[] {
  return [...new Set(roles)];
}

/** For the audit log: how many statements and whether scripts are set, not the hooks themselves. */
function hookCounts(hooks: TemplateHooks) {
  return {
    afterIngest: hooks.afterIngest?.length ?? 0,
    afterStart: hooks.afterStart?.length ?? 0,
    afterIngestShell: !!hooks.afterIngestShell,
    afterStartShell: !!hooks.afterStartShell,
  };
}
