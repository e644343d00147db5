import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { formatDuration, parseDuration, type ExpiryKind } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { BadInputException } from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { AppConfig } from '../config/app-config.js';
import { Setting } from '../database/entities/setting.entity.js';
import {
  expiryChanges,
  expiryOnCreate,
  type ExpiryChanges,
  type ExpiryInput,
  type ExpiryPolicy,
} from './expiry-policy.js';

const KEY = 'expiry';
const KINDS: readonly ExpiryKind[] = ['container', 'branch', 'bookmark'];

/**
 * The admins' expiry policy, kept in the metadata database (read on every use, so every
 * replica applies the latest), and its application to what users ask for.
 */
@Injectable()
export class ExpirySettingsService {
  constructor(
    @InjectRepository(Setting) private readonly settings: Repository<Setting>,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The stored policy, or none but the warning lead of BP_EXPIRY_WARNING_MS. */
  async policy(): Promise<ExpiryPolicy> {
    const stored = await this.settings.findOneBy({ key: KEY });
    if (stored) return stored.value as ExpiryPolicy;
    const none = { default: null, max: null };
    return {
      container: none,
      branch: none,
      bookmark: none,
      // The policy speaks in whole positive durations; a lead under a second is none anyway.
      warningLead: formatDuration(Math.max(this.config.expiryWarningMs, 1_000)),
    };
  }

  /** Replaces the policy (admins only: the controller says so); 400 when a default exceeds its maximum. */
  async update(user: CurrentUser, policy: ExpiryPolicy): Promise<ExpiryPolicy> {
    const normal = (text: string | null) => text && text.trim().toLowerCase();
    const value: ExpiryPolicy = {
      container: { default: null, max: null },
      branch: { default: null, max: null },
      bookmark: { default: null, max: null },
      warningLead: normal(policy.warningLead)!,
    };
    for (const kind of KINDS) {
      const rule = { default: normal(policy[kind].default), max: normal(policy[kind].max) };
      if (rule.default && rule.max && parseDuration(rule.default) > parseDuration(rule.max))
        throw new BadInputException(
          'expiry.invalid',
          `${kind}.default (${rule.default}) exceeds ${kind}.max (${rule.max})`,
        );
      value[kind] = rule;
    }
    await this.settings.save({ key: KEY, value, updatedById: user.id });
    await this.audit.record(user.id, 'settings.expiry.update', 'setting', null, { ...value });
    return value;
  }

  async warningLeadMs(): Promise<number> {
    return parseDuration((await this.policy()).warningLead);
  }

  /** The expiry of a new `kind` the user creates (400 beyond the maximum). */
  async expiryOnCreate(
    user: CurrentUser,
    kind: ExpiryKind,
    input: ExpiryInput,
    now = new Date(),
  ): Promise<Date | null> {
    return expiryOnCreate(input, await this.request(user, kind, now));
  }

  /** The expiry columns a PATCH by the user changes on an object of `kind`. */
  async expiryChanges(
    user: CurrentUser,
    kind: ExpiryKind,
    input: ExpiryInput,
    current: { protected: boolean },
    now = new Date(),
  ): Promise<ExpiryChanges> {
    return expiryChanges(input, current, await this.request(user, kind, now));
  }

  private async request(user: CurrentUser, kind: ExpiryKind, now: Date) {
    return { kind, rule: (await this.policy())[kind], admin: isAdmin(user), now };
  }
}
