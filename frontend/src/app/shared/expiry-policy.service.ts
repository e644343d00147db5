import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ExpiryApi, ExpiryKind } from '../core/api/expiry.api';
import { ExpiryRule, ExpirySettings } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { Expirable, expiresWithin, parseDuration } from './duration';

/** Relative expiry texts are recomputed this often. */
const TICK_MS = 30_000;

/**
 * The expiry policy as every user sees it (`GET /settings/expiry`, read once), and the clock
 * the relative expiry texts follow. Until the policy is read nothing is shown as due soon.
 */
@Injectable({ providedIn: 'root' })
export class ExpiryPolicy {
  private readonly api = inject(ExpiryApi);
  private readonly auth = inject(AuthService);
  readonly settings = signal<ExpirySettings | null>(null);
  readonly now = signal(Date.now());
  readonly warningLeadMs = computed(() => parseDuration(this.settings()?.warningLead ?? '') ?? 0);

  constructor() {
    this.api.settings().subscribe({
      next: (settings) => this.settings.set(settings),
      error: () => this.settings.set(null),
    });
    const timer = setInterval(() => this.now.set(Date.now()), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** The rule that applies to me: admins are exempt from the maximum. */
  rule(kind: ExpiryKind): ExpiryRule {
    const rule = this.settings()?.[kind] ?? { default: null, max: null };
    return this.auth.isAdmin() ? { ...rule, max: null } : rule;
  }

  /** Whether the item expires within the warning lead (or already has). */
  dueSoon(item: Expirable): boolean {
    return expiresWithin(item, this.warningLeadMs(), this.now());
  }
}
