import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { resealStored } from '../common/reseal-stored.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { WebhookDelivery } from '../database/entities/webhook-delivery.entity.js';
import { Webhook } from '../database/entities/webhook.entity.js';
import { OutboundService } from '../outbound/outbound.service.js';
import type {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
} from './dto/webhook.dto.js';

/**
 * Users' webhooks: create (secret shown once, stored encrypted with BP_SECRET_KEY; the URL
 * through the outbound fence; at most BP_WEBHOOKS_PER_USER each), list, delete, delivery history.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly outbound: OutboundService,
    private readonly config: AppConfig,
  ) {}

  /** Secrets stored before encryption at rest, or under a previous key, are sealed again. */
  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.webhooks, 'secret', this.secrets, this.logger);
  }

  async create(user: CurrentUser, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const scope = dto.scope ?? 'user';
    if (scope === 'admin' && !isAdmin(user))
      throw new ForbiddenException('webhook.admin-only', 'only admins may create admin webhooks');
    await this.outbound.checkUrl(
      dto.url,
      (message) => new BadInputException('webhook.url-refused', `webhook URL refused: ${message}`),
    );
    const secret = `whsec_${randomBytes(24).toString('hex')}`;
    const limit = this.config.webhooksPerUser;
    // Counted and inserted under a lock per user, so parallel creates cannot pass the cap together.
    const webhook = await this.webhooks.manager.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${user.id}`]);
      const count = await manager.countBy(Webhook, { userId: user.id });
      if (count >= limit)
        throw new ConflictException(
          'webhook.limit-reached',
          `you have ${count} webhooks, the most one user may have (BP_WEBHOOKS_PER_USER=${limit}); delete one first`,
        );
      return manager.save(
        manager.create(Webhook, {
          id: randomUUID(),
          userId: user.id,
          url: dto.url,
          format: dto.format,
          events: [...new Set(dto.events)],
          scope,
          secret: this.secrets.seal(secret),
        }),
      );
    });
    await this.audit.record(user.id, 'webhook.create', 'webhook', webhook.id, {
      url: webhook.url,
      scope,
    });
    return { ...toDto(webhook), secret };
  }

  /** A page of the caller's webhooks, oldest first. */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<WebhookDto>> {
    const query = this.webhooks
      .createQueryBuilder('w')
      .where('w.userId = :userId', { userId: user.id });
    return (await paginate(query, page, { direction: 'ASC' })).map((hooks) => hooks.map(toDto));
  }

  async delete(user: CurrentUser, id: string): Promise<void> {
    const webhook = await this.own(user, id);
    await this.deliveries.delete({ webhookId: webhook.id });
    await this.webhooks.delete(webhook.id);
    await this.audit.record(user.id, 'webhook.delete', 'webhook', webhook.id, { url: webhook.url });
  }

  /** A page of the deliveries kept (BP_WEBHOOK_DELIVERIES_KEPT, and pending ones), newest first. */
  async deliveriesOf(
    user: CurrentUser,
    id: string,
    page: PageQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    const webhook = await this.own(user, id);
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.webhookId = :webhookId', { webhookId: webhook.id });
    return (await paginate(query, page, { direction: 'DESC' })).map((rows) =>
      rows.map(({ webhookId: _webhookId, ...row }) => row),
    );
  }

  /** Someone else's webhook is a 404 like a missing one (its existence is not our business). */
  private async own(user: CurrentUser, id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findOneBy({ id });
    if (!webhook || webhook.userId !== user.id) throw new NotFoundException('webhook', id);
    return webhook;
  }
}

function toDto(webhook: Webhook): WebhookDto {
  return {
    id: webhook.id,
    url: webhook.url,
    format: webhook.format,
    events: webhook.events,
    scope: webhook.scope,
    createdAt: webhook.createdAt,
  };
}
