import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import {
  BadInputException,
  NotFoundException,
  TooManyRequestsException,
  UnauthorizedException,
} from '../common/app.exception.js';
import { SecretBox } from '../common/secret-box.js';
import { isUuid } from '../common/uuid-param.js';
import { AppConfig } from '../config/app-config.js';
import type { Forge } from '../database/entities/pull-request-config.entity.js';
import { PullRequestConfig } from '../database/entities/pull-request-config.entity.js';
import { PullRequestEvent } from '../database/entities/pull-request-event.entity.js';
import { QueueRedis } from '../database/redis.provider.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import type { ForgeWebhookAnswerDto } from './dto/pull-request-config.dto.js';
import {
  deliveryIdOf,
  ForgeEventError,
  parseForgeEvent,
  verifyForgeWebhook,
  type InboundHeaders,
} from './forge-events.js';
import { PullRequestQueue } from './pull-request-queue.js';

const MINUTE = 60_000;
/** Events kept per configuration: the UI shows the recent ones; the forge keeps its own log. */
const EVENTS_KEPT = 200;

/**
 * Inbound forge webhooks: verified with the configuration's secret (bad signatures from one
 * address slowed down like failed logins), recorded once per delivery id, answered at once
 * (202) and handled in the background.
 */
@Injectable()
export class ForgeWebhooksService {
  private readonly badSignatures: LoginThrottle;

  constructor(
    @InjectRepository(PullRequestConfig) private readonly configs: Repository<PullRequestConfig>,
    @InjectRepository(PullRequestEvent) private readonly events: Repository<PullRequestEvent>,
    private readonly secrets: SecretBox,
    private readonly queue: PullRequestQueue,
    config: AppConfig,
    redis: QueueRedis,
  ) {
    this.badSignatures = new LoginThrottle(redis, `${config.queuePrefix}:forge:address`, {
      freeAttempts: 10,
      firstDelayMs: 1_000,
      maxDelayMs: 15 * MINUTE,
      forgetAfterMs: 60 * MINUTE,
    });
  }

  async receive(
    forge: Forge,
    configId: string,
    headers: InboundHeaders,
    rawBody: Buffer | undefined,
    clientAddress: string,
  ): Promise<ForgeWebhookAnswerDto> {
    const config = isUuid(configId) ? await this.configs.findOneBy({ id: configId }) : null;
    if (!config || config.forge !== forge)
      throw new NotFoundException('pull-request-config', configId);
    const waitMs = await this.badSignatures.reserve(clientAddress);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new TooManyRequestsException(
        'forge.too-many-attempts',
        `too many webhooks with a bad signature; try again in ${seconds} s`,
        seconds,
      );
    }
    const body = rawBody ?? Buffer.alloc(0);
    if (!verifyForgeWebhook(forge, headers, body, this.secrets.open(config.webhookSecret)))
      throw new UnauthorizedException(
        'forge.signature-invalid',
        forge === 'github'
          ? 'X-Hub-Signature-256 does not match the body signed with the secret'
          : 'X-Gitlab-Token is not the secret',
      );
    await this.badSignatures.release(clientAddress);
    let parsed;
    try {
      parsed = parseForgeEvent(forge, headers, body);
    } catch (error) {
      if (error instanceof ForgeEventError)
        throw new BadInputException('forge.event-invalid', error.message);
      throw error;
    }
    const change = parsed.kind === 'change' ? parsed.change : null;
    const event = this.events.create({
      id: randomUUID(),
      configId,
      deliveryId: deliveryIdOf(forge, headers, body),
      number: change?.number ?? null,
      action: change?.action ?? null,
      labels: change?.labels ?? [],
      state: change ? 'pending' : 'ignored',
      detail: parsed.kind === 'ignored' ? parsed.reason : null,
      commentOutcome: null,
      slackOutcome: null,
      finishedAt: change ? null : new Date(),
    });
    const inserted = await this.events
      .createQueryBuilder()
      .insert()
      .values(event)
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length === 0) {
      const first = await this.events.findOneByOrFail({ configId, deliveryId: event.deliveryId });
      return { status: 'duplicate', eventId: first.id };
    }
    if (parsed.kind === 'ignored') {
      await this.pruneEvents(configId);
      return { status: 'ignored', eventId: event.id, reason: parsed.reason };
    }
    try {
      await this.queue.add(event.id);
    } catch (error) {
      // Not queued: forgotten again, so that the forge's redelivery is handled, not a duplicate.
      await this.events.delete(event.id);
      throw error;
    }
    await this.pruneEvents(configId);
    return { status: 'accepted', eventId: event.id };
  }

  /** Keeps the newest EVENTS_KEPT events of a configuration (and every pending one). */
  private async pruneEvents(configId: string): Promise<void> {
    await this.events.query(
      `DELETE FROM pull_request_event WHERE "configId" = $1 AND state <> 'pending' AND id NOT IN
         (SELECT id FROM pull_request_event WHERE "configId" = $1 ORDER BY "createdAt" DESC LIMIT $2)`,
      [configId, EVENTS_KEPT],
    );
  }
}
