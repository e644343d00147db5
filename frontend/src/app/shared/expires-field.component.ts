import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ExpiryChange, ExpiryRule } from '../core/api/models';
import { durationError, durationLabel, durationValidator } from './duration';

/**
 * A duration field for an expiry ("2h", "7d"), with the policy's default and maximum in its
 * hint. Build its control with `expiresControl`.
 */
@Component({
  selector: 'bp-expires-field',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field appearance="outline">
      <mat-label>{{ label() }}</mat-label>
      <input matInput [formControl]="control()" placeholder="e.g. 2h, 7d, 2w" autocomplete="off" />
      <mat-hint>{{ hint() }}</mat-hint>
      <mat-error>{{ error() }}</mat-error>
    </mat-form-field>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExpiresFieldComponent {
  readonly control = input.required<FormControl<string>>();
  readonly label = input('Expires in');
  /** The policy for what is created or extended: its maximum is the hint. */
  readonly rule = input<ExpiryRule>({ default: null, max: null });
  /** Whether empty is a choice: on create it means the policy's default (or never). */
  readonly optional = input(true);

  protected readonly hint = computed(() => {
    const { default: fallback, max } = this.rule();
    const otherwise = fallback ?? max;
    const empty = this.optional()
      ? `Empty: ${otherwise ? `the default, ${durationLabel(otherwise)}` : 'never expires'}. `
      : '';
    return `${empty}${max ? `At most ${durationLabel(max)}.` : 'Minutes, hours, days or weeks.'}`;
  });

  protected error(): string {
    return durationError(this.control());
  }
}

/** The control of an expires field: the policy's default, a valid duration within its maximum. */
export function expiresControl(rule: ExpiryRule, required = false): FormControl<string> {
  const validators = [durationValidator(() => rule.max)];
  if (required) validators.push(Validators.required);
  return new FormControl(rule.default ?? '', { nonNullable: true, validators });
}

/** The expiry fields of a create request. */
export type ExpiryFields = Pick<ExpiryChange, 'expiresIn'>;

/** The create request's expiry for an expires field's value; empty leaves it to the policy. */
export function expiryRequest(value: string): ExpiryFields {
  const text = value.trim();
  return text ? { expiresIn: text } : {};
}
