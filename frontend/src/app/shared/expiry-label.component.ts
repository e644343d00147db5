import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Expirable, expiryText } from './duration';
import { ExpiryPolicy } from './expiry-policy.service';

/**
 * An item's expiry in words ("expires in 3 h", "never", "protected"), the exact time in the
 * tooltip, in the warning colour within the policy's warning lead; and why an expired item
 * was kept, when it was.
 */
@Component({
  selector: 'bp-expiry-label',
  imports: [MatTooltipModule],
  providers: [DatePipe],
  template: `
    <span
      class="expiry"
      [class.soon]="dueSoon()"
      [matTooltip]="exact()"
      [attr.aria-label]="exact() ? text() + ' (' + exact() + ')' : null"
      >{{ text() }}</span
    >
    @if (item().expiryBlockedReason; as reason) {
      <span class="kept">Expired but kept: {{ reason }}</span>
    }
  `,
  styles: `
    .soon {
      color: var(--bp-warn);
      font-weight: 600;
    }
    .kept {
      display: block;
      font-size: 12.5px;
      color: var(--bp-warn);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExpiryLabelComponent {
  readonly item = input.required<Expirable>();

  private readonly policy = inject(ExpiryPolicy);
  private readonly date = inject(DatePipe);
  protected readonly text = computed(() => expiryText(this.item(), this.policy.now()));
  protected readonly dueSoon = computed(() => this.policy.dueSoon(this.item()));
  protected readonly exact = computed(() => {
    const at = this.item().expiresAt;
    return at ? (this.date.transform(at, 'medium') ?? '') : '';
  });
}
