import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { Expirable, expiryText } from '../shared/duration';
import { ExpiryActionsComponent, ExpiryTarget } from '../shared/expiry-actions.component';
import { ExpiryPolicy } from '../shared/expiry-policy.service';

/**
 * On the container page from the policy's warning lead before the container expires: how long
 * is left, and Extend. An expired container the sweep had to keep says why instead.
 */
@Component({
  selector: 'bp-expiry-banner',
  imports: [ExpiryActionsComponent],
  template: `
    @if (kept(); as reason) {
      <div class="banner bp-card" role="status">
        <span class="text">This container {{ when() }} but is kept: {{ reason }}</span>
      </div>
    } @else if (dueSoon()) {
      <div class="banner bp-card" role="status">
        <span class="text">This container {{ when() }} —</span>
        <bp-expiry-actions
          kind="container"
          [item]="container()"
          [disabled]="!canOperate()"
          [protectable]="false"
          (changed)="changed.emit($event)"
        />
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      margin: 0 0 16px;
      border-color: var(--bp-warn);
      background: color-mix(in srgb, var(--bp-warn) 10%, var(--mat-sys-surface));
    }
    .text {
      font-weight: 600;
      color: var(--bp-warn);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExpiryBannerComponent {
  readonly container = input.required<ExpiryTarget>();
  /** False when the container is locked by someone else or belongs to another user. */
  readonly canOperate = input(true);
  readonly changed = output<Expirable>();

  private readonly policy = inject(ExpiryPolicy);
  protected readonly dueSoon = computed(() => this.policy.dueSoon(this.container()));
  protected readonly kept = computed(() => this.container().expiryBlockedReason ?? null);
  protected readonly when = computed(() => expiryText(this.container(), this.policy.now()));
}
