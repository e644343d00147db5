import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Observable, tap } from 'rxjs';
import { ExpiryApi, ExpiryKind } from '../core/api/expiry.api';
import { ExpiryChange } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { Expirable, durationLabel, parseDuration } from './duration';
import { ExpiryPolicy } from './expiry-policy.service';
import { ExtendDialogComponent, ExtendDialogData } from './extend-dialog.component';

/** The extensions offered in one click; "Custom…" asks for any other. */
const PRESETS = ['2h', '1d', '7d'];

/** An item whose expiry can be changed. */
export type ExpiryTarget = Expirable & { id: string; name: string };

/**
 * "Extend" (a menu of durations from now, or a custom one) and "Protect"/"Unprotect" for a
 * container, branch or bookmark. Each is one PATCH; failures (e.g. over the policy's
 * maximum) show the server's message in the operations panel. Emits the item as the server
 * answered it.
 */
@Component({
  selector: 'bp-expiry-actions',
  imports: [MatButtonModule, MatMenuModule, MatTooltipModule],
  template: `
    <button
      mat-stroked-button
      type="button"
      [matMenuTriggerFor]="extendMenu"
      [disabled]="disabled() || !!extendOff()"
      [matTooltip]="extendOff()"
    >
      Extend
    </button>
    <mat-menu #extendMenu="matMenu">
      <div class="menu-title" aria-hidden="true">Expire in</div>
      @for (d of presets; track d) {
        <button mat-menu-item type="button" [disabled]="overMax(d)" (click)="extend(d)">
          {{ label(d) }}
        </button>
      }
      <button mat-menu-item type="button" (click)="custom()">Custom…</button>
    </mat-menu>
    @if (protectable()) {
      <button
        mat-stroked-button
        type="button"
        [disabled]="disabled() || !!protectOff()"
        [matTooltip]="
          protectOff() ||
          (item().protected ? 'Let it expire again' : 'Never delete it automatically')
        "
        (click)="toggleProtection()"
      >
        {{ item().protected ? 'Unprotect' : 'Protect' }}
      </button>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .menu-title {
      padding: 4px 16px;
      font-size: 12px;
      color: var(--bp-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExpiryActionsComponent {
  readonly kind = input.required<ExpiryKind>();
  readonly item = input.required<ExpiryTarget>();
  readonly disabled = input(false);
  /** False where only Extend belongs (e.g. the expiry banner). */
  readonly protectable = input(true);
  readonly changed = output<Expirable>();

  private readonly api = inject(ExpiryApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  private readonly policy = inject(ExpiryPolicy);

  protected readonly presets = PRESETS;
  protected readonly label = durationLabel;
  /** Why Extend is off: extending would only shorten a protected or non-expiring item. */
  protected readonly extendOff = computed(() => {
    const item = this.item();
    if (item.protected) return 'Protected: it does not expire';
    return item.expiresAt ? '' : 'It does not expire';
  });
  /** Why Protect is off: under a maximum only admins may protect (the rule has none for them). */
  protected readonly protectOff = computed(() => {
    const max = this.policy.rule(this.kind()).max;
    return !this.item().protected && max
      ? `Only admins may protect while ${this.kind()} expiry has a maximum (${durationLabel(max)})`
      : '';
  });
  private readonly what = computed(() => `${this.kind()} “${this.item().name}”`);

  protected overMax(duration: string): boolean {
    const max = parseDuration(this.policy.rule(this.kind()).max ?? '');
    return max !== null && (parseDuration(duration) ?? 0) > max;
  }

  extend(duration: string): Promise<void> {
    return this.patch(
      'Extend',
      { expiresIn: duration },
      `${capitalize(this.what())} now expires in ${durationLabel(duration)}`,
    );
  }

  custom(): void {
    this.dialog
      .open<ExtendDialogComponent, ExtendDialogData, string>(ExtendDialogComponent, {
        data: { what: this.what(), max: this.policy.rule(this.kind()).max },
      })
      .afterClosed()
      .subscribe((duration) => {
        if (duration) void this.extend(duration);
      });
  }

  toggleProtection(): Promise<void> {
    const protect = !this.item().protected;
    return this.patch(
      protect ? 'Protect' : 'Unprotect',
      { protected: protect },
      protect
        ? `${capitalize(this.what())} is protected: it is never deleted automatically`
        : `${capitalize(this.what())} expires again as set`,
    );
  }

  private async patch(label: string, change: ExpiryChange, success: string): Promise<void> {
    let answer: Expirable | undefined;
    const request: Observable<Expirable> = this.api
      .update<Expirable>(this.kind(), this.item().id, change)
      .pipe(tap((updated) => (answer = updated)));
    const outcome = await this.ops.run(label, request, success);
    if (outcome.ok && answer) this.changed.emit(answer);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
