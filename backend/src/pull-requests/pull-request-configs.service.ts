import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { resealStored } from '../common/reseal-stored.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { PullRequestConfig } from '../database/entities/pull-request-config.entity.js';
import { PullRequestDatabase } from '../database/entities/pull-request-database.entity.js';
import { PullRequestEvent } from '../database/entities/pull-request-event.entity.js';
import { OutboundService } from '../outbound/outbound.service.js';
import { TemplatesService } from '../templates/templates.service.js';
import type {
  CreatedPullRequestConfigDto,
  CreatePullRequestConfigDto,
  PullRequestConfigDto,
  PullRequestEventDto,
  UpdatePullRequestConfigDto,
} from './dto/pull-request-config.dto.js';
import { DEFAULT_API_URLS } from './forge-comments.js';

/**
 * A template's pull-request configurations, for admins and the template's owner: the API token,
 * webhook secret and Slack URL stored encrypted, the secret shown once; URLs through the
 * outbound fence; the bookmark (and container, for branches) of the same template.
 */
@Injectable()
export class PullRequestConfigsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PullRequestConfigsService.name);

  constructor(
    @InjectRepository(PullRequestConfig) private readonly configs: Repository<PullRequestConfig>,
    @InjectRepository(PullRequestEvent) private readonly events: Repository<PullRequestEvent>,
    @InjectRepository(PullRequestDatabase)
    private readonly databases: Repository<PullRequestDatabase>,
    private readonly templates: TemplatesService,
    private readonly access: AccessService,
    private readonly outbound: OutboundService,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.configs, 'apiToken', this.secrets, this.logger);
    await resealStored(this.configs, 'webhookSecret', this.secrets, this.logger);
  }

  async create(
    user: CurrentUser,
    templateId: string,
    dto: CreatePullRequestConfigDto,
  ): Promise<CreatedPullRequestConfigDto> {
    await this.mayConfigure(user, templateId);
    const draft = this.configs.create({
      id: randomUUID(),
      templateId,
      createdById: user.id,
      forge: dto.forge,
      repository: dto.repository,
      apiUrl: dto.apiUrl ?? DEFAULT_API_URLS[dto.forge],
      apiToken: this.secrets.seal(dto.apiToken),
      webhookSecret: '',
      label: dto.label ?? null,
      bookmarkId: dto.bookmarkId,
      target: dto.target ?? 'container',
      containerId: dto.containerId ?? null,
      expiresIn: dto.expiresIn ?? null,
      resetOnPush: dto.resetOnPush ?? false,
      slackUrl: dto.slackUrl ? this.secrets.seal(dto.slackUrl) : null,
    });
    await this.check(user, draft, dto);
    const webhookSecret = `prsec_${randomBytes(24).toString('hex')}`;
    draft.webhookSecret = this.secrets.seal(webhookSecret);
    const saved = await this.configs.save(draft);
    await this.audit.record(
      user.id,
      'pull-request-config.create',
      'pull-request-config',
      saved.id,
      {
        templateId,
        forge: saved.forge,
        repository: saved.repository,
      },
    );
    return { ...this.toDto(saved), webhookSecret };
  }

  async list(
    user: CurrentUser,
    templateId: string,
    page: PageQueryDto,
  ): Promise<Page<PullRequestConfigDto>> {
    await this.mayConfigure(user, templateId);
    const query = this.configs
      .createQueryBuilder('c')
      .where('c.templateId = :templateId', { templateId });
    return (await paginate(query, page, { direction: 'ASC' })).map((rows) =>
      rows.map((c) => this.toDto(c)),
    );
  }

  async get(user: CurrentUser, id: string): Promise<PullRequestConfigDto> {
    return this.toDto(await this.configurable(user, id));
  }

  async update(
    user: CurrentUser,
    id: string,
    dto: UpdatePullRequestConfigDto,
  ): Promise<PullRequestConfigDto> {
    const config = await this.configurable(user, id);
    const { apiToken, slackUrl, ...plain } = dto;
    // Fields the PATCH leaves out are present on the DTO as undefined: they keep their value.
    Object.assign(
      config,
      Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined)),
    );
    if (apiToken !== undefined) config.apiToken = this.secrets.seal(apiToken);
    if (slackUrl !== undefined)
      config.slackUrl = slackUrl === null ? null : this.secrets.seal(slackUrl);
    await this.check(user, config, dto);
    const saved = await this.configs.save(config);
    await this.audit.record(user.id, 'pull-request-config.update', 'pull-request-config', id, {
      fields: Object.keys(dto),
    });
    return this.toDto(saved);
  }

  /** Forgets the configuration and its events; databases already made stay until they expire. */
  async delete(user: CurrentUser, id: string): Promise<void> {
    const config = await this.configurable(user, id);
    await this.configs.manager.transaction(async (manager) => {
      await manager.delete(PullRequestEvent, { configId: id });
      await manager.delete(PullRequestDatabase, { configId: id });
      await manager.delete(PullRequestConfig, { id });
    });
    await this.audit.record(user.id, 'pull-request-config.delete', 'pull-request-config', id, {
      repository: config.repository,
    });
  }

  /** A page of the inbound events, newest first. */
  async eventsOf(
    user: CurrentUser,
    id: string,
    page: PageQueryDto,
  ): Promise<Page<PullRequestEventDto>> {
    await this.configurable(user, id);
    const query = this.events.createQueryBuilder('e').where('e.configId = :id', { id });
    return (await paginate(query, page, { direction: 'DESC' })).map((rows) =>
      rows.map(({ configId: _configId, labels: _labels, ...row }) => row),
    );
  }

  /** Another template's configuration is a 404 for those who may not configure it. */
  private async configurable(user: CurrentUser, id: string): Promise<PullRequestConfig> {
    const config = await this.configs.findOneBy({ id });
    if (!config) throw new NotFoundException('pull-request-config', id);
    await this.mayConfigure(user, config.templateId).catch(() => {
      throw new NotFoundException('pull-request-config', id);
    });
    return config;
  }

  private async mayConfigure(user: CurrentUser, templateId: string): Promise<void> {
    const template = await this.templates.template(templateId).catch(() => {
      throw new NotFoundException('template', templateId);
    });
    if (!isAdmin(user) && template.createdById !== user.id)
      throw new ForbiddenException(
        'pull-request-config.forbidden',
        "only admins and the template's owner configure its pull-request databases",
      );
  }

  /** The references and URLs of a configuration about to be saved, each named when wrong. */
  private async check(
    user: CurrentUser,
    config: PullRequestConfig,
    dto: UpdatePullRequestConfigDto,
  ): Promise<void> {
    const invalid = (message: string) =>
      new BadInputException('pull-request-config.invalid', message);
    const bookmark = await this.access.visibleBookmark(user, config.bookmarkId).catch(() => {
      throw invalid(`bookmark ${config.bookmarkId} does not exist or is not visible to you`);
    });
    if (bookmark.container.templateId !== config.templateId)
      throw invalid('the bookmark belongs to a container of another template');
    if (config.target === 'branch') {
      if (!config.containerId) throw invalid('target branch needs containerId');
      const container = await this.access.ownedContainer(user, config.containerId).catch(() => {
        throw invalid(`container ${config.containerId} does not exist or is not yours`);
      });
      if (container.templateId !== config.templateId)
        throw invalid('the container is of another template');
    } else config.containerId = null;
    if (config.forge === 'github' && config.repository.split('/').length !== 2)
      throw invalid('a GitHub repository is owner/name');
    if (dto.apiUrl !== undefined)
      await this.outbound.checkUrl(dto.apiUrl, (message) => invalid(`apiUrl refused: ${message}`));
    if (dto.slackUrl)
      await this.outbound.checkUrl(dto.slackUrl, (message) =>
        invalid(`slackUrl refused: ${message}`),
      );
  }

  private toDto(config: PullRequestConfig): PullRequestConfigDto {
    return {
      id: config.id,
      templateId: config.templateId,
      forge: config.forge,
      repository: config.repository,
      apiUrl: config.apiUrl,
      label: config.label,
      bookmarkId: config.bookmarkId,
      target: config.target,
      containerId: config.containerId,
      expiresIn: config.expiresIn,
      resetOnPush: config.resetOnPush,
      slack: config.slackUrl !== null,
      // Relative when the public address is unknown (BP_PUBLIC_URL is read with single sign-on).
      inboundUrl: `${this.config.sso?.publicUrl ?? ''}/api/v1/forge/${config.forge}/${config.id}`,
      createdById: config.createdById,
      createdAt: config.createdAt,
    };
  }
}
