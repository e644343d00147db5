import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { type AllowEntry, parseAllowEntry } from '../common/outbound-address.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { OutboundRule } from '../database/entities/outbound-rule.entity.js';
import type { CreateOutboundRuleDto, OutboundRuleDto } from './dto/outbound-rule.dto.js';
import { checkUrl, OutboundRefusedError } from './outbound-fence.js';
import { type OutboundPost, type OutboundResult, postGuarded } from './outbound-post.js';

/**
 * The outbound fence for requests to user-given URLs (webhooks, Slack): what may be reached
 * besides public addresses (BP_OUTBOUND_ALLOW and the admins' rules), the check when a URL is
 * stored, and the POST that checks again the address it connects to.
 */
@Injectable()
export class OutboundService {
  constructor(
    @InjectRepository(OutboundRule) private readonly rules: Repository<OutboundRule>,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Every allow entry in force now: the environment's, then the admins'. */
  async allowEntries(): Promise<AllowEntry[]> {
    const stored = await this.rules.find();
    return [
      ...this.config.outboundAllow,
      ...stored.flatMap((rule) => {
        const entry = parseAllowEntry(rule.entry);
        return 'problem' in entry ? [] : [entry];
      }),
    ];
  }

  /** Throws `problem(message)` (a 400 of the caller's feature) when the URL may not be reached. */
  async checkUrl(url: string, problem: (message: string) => Error): Promise<void> {
    try {
      await checkUrl(url, await this.allowEntries());
    } catch (error) {
      if (error instanceof OutboundRefusedError)
        throw problem(`${error.message}; an admin may allow it (Admin → Outbound)`);
      throw error;
    }
  }

  /** Sends through the fence (POST by default); the result's `detail` is for the server log only. */
  async post(
    url: string,
    request: Omit<OutboundPost, 'rules' | 'resolve'>,
  ): Promise<OutboundResult> {
    return postGuarded(url, { ...request, rules: await this.allowEntries() });
  }

  /**
   * A page of the admins' rules, oldest first; the first page starts with BP_OUTBOUND_ALLOW's
   * entries (a few, fixed at start, with no id a cursor could name).
   */
  async list(page: PageQueryDto): Promise<Page<OutboundRuleDto>> {
    const stored = await paginate(this.rules.createQueryBuilder('r'), page, { direction: 'ASC' });
    return stored.map((rules) => [
      ...(page.cursor ? [] : this.environmentRules()),
      ...rules.map((rule) => ({
        id: rule.id,
        entry: rule.entry,
        note: rule.note,
        source: 'admin' as const,
        createdAt: rule.createdAt,
      })),
    ]);
  }

  private environmentRules(): OutboundRuleDto[] {
    return this.config.outboundAllow.map((entry) => ({
      id: null,
      entry: entry.text,
      note: 'BP_OUTBOUND_ALLOW',
      source: 'environment' as const,
      createdAt: null,
    }));
  }

  async add(user: CurrentUser, dto: CreateOutboundRuleDto): Promise<OutboundRuleDto> {
    const entry = parseAllowEntry(dto.entry);
    if ('problem' in entry) throw new BadInputException('outbound-rule.invalid', entry.problem);
    if (await this.rules.existsBy({ entry: entry.text }))
      throw new ConflictException('outbound-rule.exists', `${entry.text} is allowed already`);
    const rule = this.rules.create({
      id: randomUUID(),
      entry: entry.text,
      note: dto.note?.trim() || null,
      createdById: user.id,
    });
    try {
      await this.rules.insert(rule);
    } catch (error) {
      // A parallel add of the same entry: the unique index decided.
      if ((error as { code?: string }).code === '23505')
        throw new ConflictException('outbound-rule.exists', `${entry.text} is allowed already`);
      throw error;
    }
    await this.audit.record(user.id, 'outbound-rule.create', 'outbound-rule', rule.id, {
      entry: rule.entry,
    });
    const saved = await this.rules.findOneByOrFail({ id: rule.id });
    return {
      id: saved.id,
      entry: saved.entry,
      note: saved.note,
      source: 'admin',
      createdAt: saved.createdAt,
    };
  }

  async remove(user: CurrentUser, id: string): Promise<void> {
    const rule = await this.rules.findOneBy({ id });
    if (!rule) throw new NotFoundException('outbound-rule', id);
    await this.rules.delete(rule.id);
    await this.audit.record(user.id, 'outbound-rule.delete', 'outbound-rule', rule.id, {
      entry: rule.entry,
    });
  }
}
